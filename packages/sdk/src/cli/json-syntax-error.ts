/**
 * Where the first JSON syntax error of `text` is, as a 1-based line and column, or undefined
 * when the text is valid JSON. `JSON.parse`'s own messages quote the text around the error
 * ("Unexpected token '}', "{"token": "ghp_…" is not valid JSON"), and a context's text holds
 * secrets: error messages say where, never what.
 */
export function jsonSyntaxErrorLocation(text: string): { line: number; column: number } | undefined {
  const offset = jsonSyntaxErrorOffset(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The offset of the first character that makes `text` invalid JSON (its length for a premature end). */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  try {
    new JsonScanner(text).document();
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.offset;
    throw error;
  }
}

/** Containers nested deeper than this are refused (at the bracket that goes too deep). */
const MAX_DEPTH = 10_000;

/**
 * A JSON grammar check that keeps only the position: it never copies what it reads. It walks
 * the text with a stack of open containers instead of recursing, so no nesting overflows it.
 */
class JsonScanner {
  readonly #text: string;
  #position = 0;
  /** The closing bracket of every container open around the position, innermost last. */
  readonly #open: Array<'}' | ']'> = [];

  constructor(text: string) {
    this.#text = text;
  }

  document(): void {
    let expectValue = this.#value();
    while (this.#open.length > 0) {
      if (expectValue) {
        expectValue = this.#value();
        continue;
      }
      const close = this.#open.at(-1)!;
      if (this.#endOfMember(close)) {
        this.#open.pop();
        continue;
      }
      if (close === '}') this.#key();
      expectValue = this.#value();
    }
    this.#space();
    if (this.#position < this.#text.length) this.#fail();
  }

  /** Reads a scalar, or opens a container: true when it opened one that awaits its first value. */
  #value(): boolean {
    if (this.#open.length > MAX_DEPTH) this.#fail();
    this.#space();
    const character = this.#text[this.#position];
    if (character === '{' || character === '[') return this.#openContainer(character === '{' ? '}' : ']');
    if (character === '"') this.#string();
    else if (character === 't') this.#literal('true');
    else if (character === 'f') this.#literal('false');
    else if (character === 'n') this.#literal('null');
    else if (character === '-' || (character !== undefined && character >= '0' && character <= '9')) this.#number();
    else this.#fail();
    return false;
  }

  #openContainer(close: '}' | ']'): boolean {
    this.#position += 1;
    this.#space();
    if (this.#text[this.#position] === close) {
      this.#position += 1;
      return false;
    }
    if (close === '}') this.#key();
    this.#open.push(close);
    return true;
  }

  /** An object member's name and its colon. */
  #key(): void {
    this.#space();
    if (this.#text[this.#position] !== '"') this.#fail();
    this.#string();
    this.#space();
    if (this.#text[this.#position] !== ':') this.#fail();
    this.#position += 1;
  }

  /** After a member: a comma (more follow, false) or the closing bracket (true). */
  #endOfMember(close: '}' | ']'): boolean {
    this.#space();
    const character = this.#text[this.#position];
    if (character !== ',' && character !== close) this.#fail();
    this.#position += 1;
    return character === close;
  }

  #fail(at = this.#position): never {
    throw new JsonSyntaxError(at);
  }

  #space(): void {
    const text = this.#text;
    while (this.#position < text.length && ' \t\n\r'.includes(text[this.#position]!)) this.#position += 1;
  }

  #literal(word: string): void {
    for (const character of word) if (this.#text[this.#position++] !== character) this.#fail(this.#position - 1);
  }

  #string(): void {
    const text = this.#text;
    this.#position += 1; // the opening quote
    for (;;) {
      if (this.#position >= text.length) this.#fail();
      const code = text.charCodeAt(this.#position);
      if (code === 0x22) break;
      if (code < 0x20) this.#fail();
      if (code === 0x5c) this.#escape();
      this.#position += 1;
    }
    this.#position += 1;
  }

  /** At a backslash: checks the escape and stops at its last character. */
  #escape(): void {
    this.#position += 1;
    const escaped = this.#text[this.#position];
    if (escaped === 'u') {
      for (let index = 1; index <= 4; index += 1)
        if (!/[0-9a-fA-F]/.test(this.#text[this.#position + index] ?? '')) this.#fail(this.#position + index);
      this.#position += 4;
    } else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) this.#fail();
  }

  #number(): void {
    const slice = this.#text.slice(this.#position, this.#position + 400);
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(slice);
    if (!match || match[0] === '-' || match[0] === '') this.#fail();
    this.#position += match![0].length;
  }
}

class JsonSyntaxError extends Error {
  readonly offset: number;

  constructor(offset: number) {
    super(`JSON syntax error at ${offset}`);
    this.offset = offset;
  }
}
