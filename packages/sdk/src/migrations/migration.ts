import type { sql } from 'kysely';
import type { ColumnSpec } from '../domain/columns.js';
import type { DialectName } from '../store/database-url.js';
import type { LakeKysely } from '../store/lake-kysely.js';

/**
 * One schema change. Migrations are applied in the order of their ids (`0001-…`, `0002-…`),
 * recorded per owner (`_lake_migrations_sdk`, `_lake_migrations_<connector>`), and never edited
 * once released: a later change is a new migration.
 *
 *   export const migrations: MigrationList = {
 *     '0001-create-commits': {
 *       async up(context) {
 *         await context.createToolTable('commits', { sha: key(column.varchar(40)), message: column.text() });
 *       },
 *     },
 *   };
 */
export interface Migration {
  up(context: MigrationContext): Promise<void>;
}

export type MigrationList = Readonly<Record<string, Migration>>;

export interface CreateTableOptions {
  /** Add the six provenance columns (created_at, updated_at, _raw_data_*) and an index on `_raw_data_params`. Default true. */
  provenance?: boolean;
}

export interface MigrationContext {
  /** The connection (or transaction, where DDL is transactional) the migration runs on. */
  readonly db: LakeKysely;
  readonly dialect: DialectName;
  /** Kysely's `sql` tag for dialect-specific statements: `if (context.dialect === 'postgres') await context.sql\`…\`.execute(context.db)`. */
  readonly sql: typeof sql;
  /** Creates a table from portable column specs; key columns (marked with `key()`) form the primary key. */
  createTable(name: string, columns: Record<string, ColumnSpec>, options?: CreateTableOptions): Promise<void>;
  /**
   * Creates the connector's tool table `_tool_<connector>_<entity>` keyed by `connection_id`
   * plus the key columns given, with provenance columns.
   */
  createToolTable(entity: string, columns: Record<string, ColumnSpec>): Promise<void>;
  addColumn(table: string, name: string, spec: ColumnSpec): Promise<void>;
  /**
   * Renames a column, keeping its values and indexes; a table where it is already renamed is
   * left alone, so a migration killed half-way runs again cleanly.
   */
  renameColumn(table: string, from: string, to: string): Promise<void>;
  createIndex(table: string, columns: string[]): Promise<void>;
  /** `_tool_<connector>_<entity>` for this migration's owner. */
  toolTableName(entity: string): string;
}
