/**
 * Rows per multi-row statement, at most. A prepared statement's program grows with its rows
 * (SQLite: ~2.7 MB for 789 rows of 38 columns, ~0.2 MB for 64), and the store keeps the
 * statements it prepared: a few bounded sizes keep that memory small, where one statement per
 * batch size (a sync cutting batches at checkpoints has hundreds) grew it by 100 MB and more.
 * Past a few dozen rows a longer statement saves little per row.
 */
export const MAX_ROWS_PER_STATEMENT = 64;

/**
 * How `count` rows are split into statements: full statements of the largest size (at most
 * `maxRows`, what the dialect's parameter limit allows), the rest in descending powers of two,
 * so that batches of any size share 1 + log2(MAX_ROWS_PER_STATEMENT) statements per table.
 *
 *   [...statementSizes(300, 789)]   // [64, 64, 64, 64, 32, 8, 4]
 */
export function* statementSizes(count: number, maxRows: number): Generator<number> {
  const full = Math.max(1, Math.min(maxRows, MAX_ROWS_PER_STATEMENT));
  let left = count;
  for (; left >= full; left -= full) yield full;
  let size = 1;
  while (size * 2 <= left) size *= 2;
  for (; left > 0; size /= 2) {
    if (size > left) continue;
    yield size;
    left -= size;
  }
}
