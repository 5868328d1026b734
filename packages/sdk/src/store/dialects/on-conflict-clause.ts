/** `INSERT … ON CONFLICT (keys) DO UPDATE SET …`, the upsert tail of the dialects that share that syntax (SQLite, PostgreSQL). */
export function onConflictClause(
  quote: (name: string) => string,
  keyColumns: string[],
  updateColumns: string[],
): string {
  const target = keyColumns.map(quote).join(', ');
  if (updateColumns.length === 0) return ` ON CONFLICT (${target}) DO NOTHING`;
  const set = updateColumns.map((name) => `${quote(name)} = excluded.${quote(name)}`).join(', ');
  return ` ON CONFLICT (${target}) DO UPDATE SET ${set}`;
}
