import { type Migration as KyselyMigration, type MigrationProvider, Migrator, sql } from 'kysely';
import { LakeError } from '../errors/lake-error.js';
import { killPoint } from '../faults/kill-points.js';
import type { Store } from '../store/store.js';
import type { MigrationContext, MigrationList } from './migration.js';
import { addColumn, CONNECTION_ID_COLUMN, createIndex, createTable, renameColumn } from './table-ddl.js';

export interface MigrationOutcome {
  owner: string;
  applied: string[];
}

/**
 * Applies `migrations` of one owner (`sdk` or a connector name) that the database has not
 * seen yet, in id order, recording each in `_lake_migrations_<owner>`. Concurrent runs are
 * serialised by kysely's migration lock. A failure stops at the failing migration and names it.
 */
export async function runMigrations(store: Store, owner: string, migrations: MigrationList): Promise<MigrationOutcome> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const adapted: Record<string, KyselyMigration> = {};
      for (const [id, migration] of Object.entries(migrations)) {
        adapted[id] = {
          async up(db) {
            killPoint(`migration ${owner}/${id}: starting`);
            await migration.up(migrationContext(store, db, owner));
            // Applied but not yet recorded: where MySQL's non-transactional DDL leaves half a migration.
            killPoint(`migration ${owner}/${id}: applied, not recorded`);
          },
        };
      }
      return adapted;
    },
  };
  const migrator = new Migrator({
    db: store.db,
    provider,
    migrationTableName: `_lake_migrations_${owner}`,
    migrationLockTableName: `_lake_migrations_${owner}_lock`,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new LakeError(
      'MIGRATION_FAILED',
      `migration ${owner}/${failed} failed: ${(error as Error).message ?? error}`,
      {
        cause: error,
        details: { owner, migration: failed },
      },
    );
  }
  return {
    owner,
    applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName),
  };
}

function migrationContext(store: Store, db: Store['db'], owner: string): MigrationContext {
  const dialect = store.dialect;
  const toolTableName = (entity: string) => `_tool_${owner}_${entity}`;
  return {
    db,
    dialect: dialect.name,
    sql,
    createTable: (name, columns, options = {}) => createTable(db, dialect, name, columns, options.provenance ?? true),
    createToolTable: (entity, columns) =>
      createTable(db, dialect, toolTableName(entity), { ...CONNECTION_ID_COLUMN, ...columns }, true),
    addColumn: (table, name, spec) => addColumn(db, dialect, table, name, spec),
    renameColumn: (table, from, to) => renameColumn(db, dialect, table, from, to),
    createIndex: (table, columns) => createIndex(db, dialect, table, columns),
    toolTableName,
  };
}
