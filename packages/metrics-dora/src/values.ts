/** A datetime as a driver returns it (Date on PostgreSQL and MySQL, ISO text on SQLite) or null. */
export function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Text as stored; NULL (possible in columns other writers filled) becomes ''. */
export function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Whole minutes from `from` to `to`, rounded up; NULL when either end is missing or the span is
 * negative by a minute or more. A span negative by less than a minute rounds up to 0 (DevLake's
 * `computeTimeSpan`).
 */
export function minutesBetween(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  const minutes = Math.ceil((to.getTime() - from.getTime()) / 60_000);
  return minutes < 0 ? null : minutes + 0;
}

/** Code-unit string order, the same on every machine and dialect (never locale-dependent). */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Dates ascending with NULL first (MySQL's and SQLite's order, DevLake's reference database). */
export function compareDates(left: Date | null, right: Date | null): number {
  if (!left || !right) return (left ? 1 : 0) - (right ? 1 : 0);
  return left.getTime() - right.getTime();
}

/** `items` in slices of `size`, for IN lists that must stay below every dialect's parameter limit. */
export function* chunks<Item>(items: readonly Item[], size = 500): Generator<Item[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
