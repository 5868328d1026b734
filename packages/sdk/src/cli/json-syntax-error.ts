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
  let position = 0;
  const fail = (at = position): never => {
    throw new JsonSyntaxError(at);
  };
  const space = () => {
    while (position < text.length && ' \t\n\r'.includes(text[position]!)) position += 1;
  };
  const literal = (word: string) => {
    for (const character of word) if (text[position++] !== character) fail(position - 1);
  };
  const string = () => {
    position += 1; // the opening quote
    for (;;) {
      if (position >= text.length) fail();
      const code = text.charCodeAt(position);
      if (code === 0x22) break;
      if (code < 0x20) fail();
      if (code === 0x5c) {
        position += 1;
        const escaped = text[position];
        if (escaped === 'u') {
          for (let index = 1; index <= 4; index += 1)
            if (!/[0-9a-fA-F]/.test(text[position + index] ?? '')) fail(position + index);
          position += 4;
        } else if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) fail();
      }
      position += 1;
    }
    position += 1;
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(position, position + 400));
    if (!match || match[0] === '-' || match[0] === '') fail();
    position += match![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    space();
    const character = text[position];
    if (character === '{') {
      position += 1;
      space();
      if (text[position] === '}') {
        position += 1;
        return;
      }
      for (;;) {
        space();
        if (text[position] !== '"') fail();
        string();
        space();
        if (text[position] !== ':') fail();
        position += 1;
        value(depth + 1);
        space();
        if (text[position] === ',') position += 1;
        else if (text[position] === '}') {
          position += 1;
          return;
        } else fail();
      }
    }
    if (character === '[') {
      position += 1;
      space();
      if (text[position] === ']') {
        position += 1;
        return;
      }
      for (;;) {
        value(depth + 1);
        space();
        if (text[position] === ',') position += 1;
        else if (text[position] === ']') {
          position += 1;
          return;
        } else fail();
      }
    }
    if (character === '"') string();
    else if (character === 't') literal('true');
    else if (character === 'f') literal('false');
    else if (character === 'n') literal('null');
    else if (character === '-' || (character !== undefined && character >= '0' && character <= '9')) number();
    else fail();
  };
  try {
    value(0);
    space();
    if (position < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.offset;
    // Nesting too deep for this parser's stack: no position to give.
    return 0;
  }
}

class JsonSyntaxError extends Error {
  readonly offset: number;

  constructor(offset: number) {
    super(`JSON syntax error at ${offset}`);
    this.offset = offset;
  }
}
