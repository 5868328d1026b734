import type { TableShape } from './table-shape.js';

/** Where a value too long for its column was found: filled in by the writer, which knows the row. */
export interface OverlongValueSite {
  readonly shape: TableShape;
  readonly column: string;
  readonly row: Readonly<Record<string, unknown>>;
}

/**
 * A value longer than its varchar(n) column. PostgreSQL and MySQL refuse such a value and fail
 * the whole statement without naming the row; SQLite stores it. The writer's converters refuse
 * it first, so every dialect fails the same way, and the sync pipeline turns this into an
 * EXTRACT_FAILED / CONVERT_FAILED naming the row's key (redacted: the writer knows no secrets,
 * so this message carries no values).
 */
export class ValueTooLongError extends Error {
  readonly declaredLength: number;
  /** In Unicode code points, as MySQL and PostgreSQL count varchar(n). */
  readonly valueLength: number;
  readonly site: OverlongValueSite | undefined;

  constructor(declaredLength: number, valueLength: number, site?: OverlongValueSite) {
    const where = site ? `${site.shape.name}.${site.column}` : 'a column';
    super(`[lake] ${where} is varchar(${declaredLength}) but a value has ${valueLength} characters`);
    this.name = 'ValueTooLongError';
    this.declaredLength = declaredLength;
    this.valueLength = valueLength;
    this.site = site;
  }

  /** The same error, now naming the table, column and row. */
  at(site: OverlongValueSite): ValueTooLongError {
    return new ValueTooLongError(this.declaredLength, this.valueLength, site);
  }
}

/**
 * Throws when `text` has more than `length` code points. Callers test `text.length > length`
 * first: a string has at least as many UTF-16 units as code points, so that one comparison
 * clears nearly every value and code points are only counted for the rest.
 */
export function refuseIfLonger(text: string, length: number): void {
  const points = codePointLength(text);
  if (points > length) throw new ValueTooLongError(length, points);
}

/** Unicode code points in `text` (a surrogate pair is one; a lone surrogate is one too). */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length - 1; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        index += 1;
      }
    }
  }
  return count;
}
