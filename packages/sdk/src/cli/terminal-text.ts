/**
 * Text from a source (author names, file paths, scope names, error messages) printed to a
 * terminal with its control characters made visible: an ESC sequence in a commit author's
 * name must not recolour, move the cursor, retitle the window or hide the rest of the line,
 * and a bidi override must not make a path read differently from what it is. Each such
 * character is shown as an escape (`\x1b`, `\u202e`). JSON output needs none of this.
 */

/** C0 controls, DEL, C1 controls, bidi marks, embeddings, overrides and isolates, line/paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this file is for.
const UNSAFE_INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, except newline and tab, which belong in a multi-line message. */
const UNSAFE_MULTILINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this file is for.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** For one-line places (a table cell, a name in a heading): newlines and tabs are escaped too. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_INLINE, visible);
}

/** For messages that may span lines (errors, log lines): newlines and tabs are kept. */
export function terminalLines(text: string): string {
  return text.replace(UNSAFE_MULTILINE, visible);
}
