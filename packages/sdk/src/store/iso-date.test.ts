import { describe, expect, it } from 'vitest';
import { IsoDate, parseDateText } from './iso-date.js';

describe('IsoDate', () => {
  it('keeps the canonical text of UTC ISO input, with or without milliseconds', () => {
    const precise = parseDateText('2024-02-29T23:59:59.123Z');
    expect(precise).toBeInstanceOf(IsoDate);
    expect((precise as IsoDate).canonicalText()).toBe('2024-02-29T23:59:59.123Z');
    const github = parseDateText('2011-01-26T19:01:12Z') as IsoDate;
    expect(github.canonicalText()).toBe('2011-01-26T19:01:12.000Z');
    expect(github.canonicalText()).toBe(github.toISOString());
  });

  it('forgets the text once the instant changes, and leaves other formats to Date', () => {
    const date = parseDateText('2024-01-01T00:00:00Z') as IsoDate;
    date.setUTCHours(5);
    expect(date.canonicalText()).toBeUndefined();
    const offset = parseDateText('2024-01-01T10:00:00+02:00');
    expect(offset).not.toBeInstanceOf(IsoDate);
    expect(offset.toISOString()).toBe('2024-01-01T08:00:00.000Z');
  });
});
