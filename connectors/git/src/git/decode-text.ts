const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Git stores names and messages as bytes. Commits that declare an encoding are re-encoded
 * to UTF-8 by git itself; the rest are usually UTF-8, and the few that are not (old
 * ISO-8859-1 author names) would turn into U+FFFD under a lenient decoder. Decode strictly
 * and fall back to Latin-1, which maps every byte to a character and loses nothing.
 */
export function decodeGitText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}
