import type { Store } from '../store/store.js';
import type { MigrationList } from './migration.js';
import { tableExists } from './table-ddl.js';

/**
 * The ids of `migrations` that the database has not recorded for `owner`, in id order,
 * found without applying anything or taking the migration lock: for readers that must not
 * write to the lake (`lake ui`, reports), which then say what to run instead.
 */
export async function pendingMigrations(store: Store, owner: string, migrations: MigrationList): Promise<string[]> {
  const ids = Object.keys(migrations).sort();
  const table = `_lake_migrations_${owner}`;
  if (!(await tableExists(store.db, store.dialect, table))) return ids;
  const rows = await store.db.selectFrom(table).select('name').execute();
  const recorded = new Set(rows.map((row) => String(row.name)));
  return ids.filter((id) => !recorded.has(id));
}
