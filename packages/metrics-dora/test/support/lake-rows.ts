import { type DomainTableName, runMigrations, SDK_MIGRATIONS, type Store } from '@lake/sdk';
import { METRICS_DORA_MIGRATIONS, MIGRATION_OWNER } from '../../src/migrations.js';
import { domainTableShape } from '../../src/tables.js';

/** Writes hand-made domain rows (missing columns get their zero value, as a connector's would). */
export async function putRows(store: Store, table: DomainTableName, rows: Record<string, unknown>[]): Promise<void> {
  await store.writer().upsert(domainTableShape(table), rows);
}

/** A datetime read back from any dialect, as ISO text (null stays null). */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** A bigint read back from any dialect (PostgreSQL's driver returns text) as a number. */
export function int(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Every row of `table` ordered by `orderBy`, with `created_at`/`updated_at` left out. */
export async function rowsOf(store: Store, table: string, orderBy: string[]): Promise<Record<string, unknown>[]> {
  let query = store.db.selectFrom(table).selectAll();
  for (const column of orderBy) query = query.orderBy(column);
  const rows = await query.execute();
  return rows.map(({ created_at: _created, updated_at: _updated, ...rest }) => normalized(rest));
}

/** Values in one form across dialects: dates as ISO text, numeric text as numbers, booleans as booleans. */
function normalized(row: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (value instanceof Date) result[name] = value.toISOString();
    else if (typeof value === 'bigint') result[name] = Number(value);
    else result[name] = value;
  }
  return result;
}

/** The SDK's tables and this metric's, as `runMetrics` would create them, without running a step. */
export async function migrateLake(store: Store): Promise<void> {
  await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  await runMigrations(store, MIGRATION_OWNER, METRICS_DORA_MIGRATIONS);
}
