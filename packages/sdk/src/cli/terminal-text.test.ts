import { describe, expect, it } from 'vitest';
import { createProgressRenderer, formatTable, renderFacts } from './render.js';
import { terminalLines, terminalText } from './terminal-text.js';

describe('text for a terminal', () => {
  it('shows C0, DEL, C1 and bidi controls as escapes; keeps newlines and tabs only where lines belong', () => {
    const hostile = 'a\u001b[2Jb\u0007c\u007fd\u009be\u202ef\u2066g\rh\ti\nj\u0000';
    expect(terminalText(hostile)).toBe('a\\x1b[2Jb\\x07c\\x7fd\\x9be\\u202ef\\u2066g\\x0dh\\x09i\\x0aj\\x00');
    expect(terminalLines(hostile)).toBe('a\\x1b[2Jb\\x07c\\x7fd\\x9be\\u202ef\\u2066g\\x0dh\ti\nj\\x00');
    expect(terminalText('Zoë — 日本語 😀')).toBe('Zoë — 日本語 😀');
  });

  it('neutralises data in tables, facts and progress lines', () => {
    expect(formatTable(['author'], [['Mallory\u001b]8;;http://x\u0007link']])).toBe(
      'author\nMallory\\x1b]8;;http://x\\x07link',
    );
    const facts = renderFacts([
      { label: 'top\u001b[31m', value: 'gpj.\u202eexe', rows: [{ path: 'src/\u001b[1Aevil.ts', commits: 3 }] },
    ]);
    expect(facts).not.toContain('\u001b');
    expect(facts).not.toContain('\u202e');
    expect(facts).toContain('src/\\x1b[1Aevil.ts');
    const written: string[] = [];
    const progress = createProgressRenderer({ write: (text) => written.push(text), isTTY: false });
    progress({
      type: 'stream-end',
      stream: 'files\u001b[2K',
      status: 'succeeded',
      records: 1,
      toolRows: 1,
      domainRows: 1,
      removed: 0,
      elapsedMs: 5,
    });
    expect(written.join('')).toBe('files\\x1b[2K: succeeded, 1 records in 0.0s\n');
  });
});
