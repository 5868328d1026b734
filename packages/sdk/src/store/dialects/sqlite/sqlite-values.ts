import { IsoDate } from '../../iso-date.js';
import type { DriverValues } from '../../value-codec.js';

/** SQLite stores datetimes as canonical UTC ISO text, which sorts and compares correctly. */
function isoText(date: Date): string {
  return (date instanceof IsoDate ? date.canonicalText() : undefined) ?? date.toISOString();
}

/** better-sqlite3 binds no booleans or Dates: booleans are 1/0, datetimes ISO text. */
export const SQLITE_VALUES: DriverValues = { booleans: [1, 0], datetime: isoText };
