import type { TableShape } from '../store/table-shape.js';
import { textOf } from '../store/value-conversion.js';

/** A varchar column and its declared length, in characters. */
export interface VarcharLimit {
  readonly column: string;
  readonly length: number;
}

/** A value longer than its column allows. */
export interface OverlongValue {
  readonly column: string;
  readonly declaredLength: number;
  /** In Unicode code points, as MySQL and PostgreSQL count varchar(n). */
  readonly valueLength: number;
}

const limitsByShape = new WeakMap<TableShape, readonly VarcharLimit[]>();

/** The varchar columns of a table, computed once per shape. */
export function varcharLimitsOf(shape: TableShape): readonly VarcharLimit[] {
  let limits = limitsByShape.get(shape);
  if (!limits) {
    limits = Object.entries(shape.columns)
      .filter(([, spec]) => spec.kind === 'varchar')
      .map(([column, spec]) => ({ column, length: spec.length ?? 255 }));
    limitsByShape.set(shape, limits);
  }
  return limits;
}

/**
 * The first value of `row` longer than its varchar(n), or undefined. PostgreSQL and MySQL
 * refuse such a value (and fail the whole batch without saying which row), SQLite stores it:
 * checking before the write makes every dialect refuse it the same way, naming the row.
 *
 * Runs for every row of a sync, so the common case costs one comparison per varchar value: a
 * string has at least as many UTF-16 units as code points, so `text.length <= n` proves it
 * fits; code points are only counted when the units exceed n.
 */
export function findOverlongValue(
  limits: readonly VarcharLimit[],
  row: Readonly<Record<string, unknown>>,
): OverlongValue | undefined {
  for (let index = 0; index < limits.length; index += 1) {
    const { column, length } = limits[index]!;
    const value = row[column];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : textOf(value);
    if (text.length <= length) continue;
    const valueLength = codePointLength(text);
    if (valueLength > length) return { column, declaredLength: length, valueLength };
  }
  return undefined;
}

/** Unicode code points in `text` (a surrogate pair is one). */
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
