import { describe, expect, it } from 'vitest';
import { parseMemoized } from './parse-memo.js';

describe('parseMemoized', () => {
  it('parses a text once, and again only when the text changes', () => {
    const parsed: string[] = [];
    const parse = (text: string) => {
      parsed.push(text);
      return { items: text.split(',') };
    };
    expect(parseMemoized('/memo/a.yaml', 'x,y', parse)).toEqual({ items: ['x', 'y'] });
    expect(parseMemoized('/memo/a.yaml', 'x,y', parse)).toEqual({ items: ['x', 'y'] });
    expect(parsed).toEqual(['x,y']);
    expect(parseMemoized('/memo/a.yaml', 'x,y,z', parse)).toEqual({ items: ['x', 'y', 'z'] });
    expect(parseMemoized('/memo/b.yaml', 'x,y,z', parse)).toEqual({ items: ['x', 'y', 'z'] });
    expect(parsed).toEqual(['x,y', 'x,y,z', 'x,y,z']);
  });

  it('hands out copies: a caller that changes its value does not change the next one', () => {
    const first = parseMemoized('/memo/c.yaml', 'a', (text) => ({ items: [text] }));
    first.items.push('changed');
    const second = parseMemoized('/memo/c.yaml', 'a', () => ({ items: ['never parsed'] }));
    expect(second).toEqual({ items: ['a'] });
    second.items.push('changed again');
    expect(parseMemoized('/memo/c.yaml', 'a', () => ({ items: [] }))).toEqual({ items: ['a'] });
  });

  it('a text that fails to parse fails every time, and leaves the last good value alone', () => {
    const parse = (text: string) => {
      if (text === 'bad') throw new Error('bad text');
      return text.length;
    };
    expect(parseMemoized('/memo/d.yaml', 'good', parse)).toBe(4);
    expect(() => parseMemoized('/memo/d.yaml', 'bad', parse)).toThrow('bad text');
    expect(() => parseMemoized('/memo/d.yaml', 'bad', parse)).toThrow('bad text');
    expect(parseMemoized('/memo/d.yaml', 'good', () => -1)).toBe(4);
  });
});
