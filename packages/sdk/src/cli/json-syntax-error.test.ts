import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorLocation, jsonSyntaxErrorOffset } from './json-syntax-error.js';

describe('JSON syntax error locations', () => {
  it('finds nothing wrong where JSON.parse finds nothing wrong', () => {
    for (const text of [
      '{}',
      '[]',
      ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]} ',
      '"s"',
      '0',
      '{"a":{"b":[{}]}}',
    ]) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonSyntaxErrorOffset(text), text).toBeUndefined();
    }
  });

  it('points at the first bad character, as a line and column', () => {
    const cases: Array<[string, number]> = [
      ['{not json', 1],
      ['{"a": 1,}', 8],
      ['{"token": "ghp_secret', 21],
      ['{"token": "abc"} x', 17],
      ['', 0],
      ['{"a": tru}', 9],
      ['[1, 2', 5],
      ['{"a": 01}', 7],
      ['{"a": "\\q"}', 8],
      ['{"a" 1}', 5],
    ];
    for (const [text, offset] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonSyntaxErrorOffset(text), text).toBe(offset);
    }
    expect(jsonSyntaxErrorLocation('{\n  "connection": {\n    "token": "abc",\n  }\n}')).toEqual({
      line: 4,
      column: 3,
    });
  });

  it('gives a location however deep the nesting, instead of overflowing the stack', () => {
    // 9,000 levels overflowed the recursive scanner, which then had no location to give (0).
    expect(jsonSyntaxErrorOffset(`${'['.repeat(9_000)}}`)).toBe(9_000);
    // Past 10,000 levels the scanner refuses at the bracket that goes too deep.
    expect(jsonSyntaxErrorOffset('['.repeat(20_000))).toBe(10_001);
  });
});
