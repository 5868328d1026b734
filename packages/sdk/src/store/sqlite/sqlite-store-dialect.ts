import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DialectAdapter,
  Kysely,
  type MigrationLockOptions,
  SqliteAdapter,
  SqliteDialect,
  sql,
} from 'kysely';
import type { ColumnSpec } from '../../domain/columns.js';
import { IsoDate } from '../iso-date.js';
import type { LakeKysely } from '../lake-kysely.js';
import type { TableDescription } from '../schema-description.js';
import type { DataTypeExpression, StoreDialect, TableBuilder } from '../store-dialect.js';
import {
  buildColumnConverter,
  type Converter,
  onConflictClause,
  toDate,
  toPortableValue,
} from '../value-conversion.js';
import { describeSqliteTable, listSqliteTables, sqliteTableExists } from './sqlite-introspector.js';
import { withStatementCache } from './statement-cache.js';

/** SQLite stores datetimes as canonical UTC ISO text, which sorts and compares correctly. */
function isoText(date: Date): string {
  return (date instanceof IsoDate ? date.canonicalText() : undefined) ?? date.toISOString();
}

/** How long a connection waits for another process's lock. */
const BUSY_TIMEOUT_MS = 15_000;

/**
 * `journal_mode = WAL` on a file other processes are opening and migrating at the same moment
 * can fail with SQLITE_BUSY without SQLite's busy handler ever waiting (seen with several
 * connector processes starting on one new file under load): retry for as long as the busy
 * timeout would have waited.
 */
function switchToWal(database: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      // A synchronous pause: opening a store is synchronous in kysely's dialect factory.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/**
 * The embedded default. WAL journal with synchronous=NORMAL: a killed process never loses a
 * committed transaction; only a power cut may lose the last ones, which incremental state
 * then re-collects.
 */
export class SqliteStoreDialect implements StoreDialect {
  readonly name = 'sqlite' as const;
  readonly maxParameters = 30_000;
  readonly maxStatementBytes = undefined;
  readonly upsertNeedsUniqueKeys = false;
  readonly supportsTransactionalDdl = true;
  readonly tableOptions = undefined;
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  createKysely(): LakeKysely {
    if (this.#path !== ':memory:') mkdirSync(dirname(this.#path), { recursive: true });
    const database = new Database(this.#path);
    // The busy timeout first: switching a new file to WAL needs a lock another process may hold.
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    switchToWal(database);
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = OFF');
    return new Kysely({ dialect: new ProcessSafeSqliteDialect({ database: withStatementCache(database) }) });
  }

  async initialize(): Promise<void> {}

  quote(identifier: string): string {
    return `"${identifier.replaceAll('"', '""')}"`;
  }

  placeholder(): string {
    return '?';
  }

  columnType(spec: ColumnSpec): DataTypeExpression {
    switch (spec.kind) {
      case 'varchar':
        return sql`varchar(${sql.raw(String(spec.length ?? 255))})`;
      case 'bigint':
        return 'integer';
      case 'float':
        return 'real';
      case 'bool':
        return 'integer';
      case 'datetime':
        return 'text';
      default:
        return 'text';
    }
  }

  toDatabase(value: unknown, spec: ColumnSpec | undefined): unknown {
    if (value instanceof Date || spec?.kind === 'datetime') {
      const date = toDate(value);
      return date ? isoText(date) : null;
    }
    if (typeof value === 'boolean') return value ? 1 : 0;
    const portable = toPortableValue(value, spec);
    if (portable !== null && typeof portable === 'object' && !Buffer.isBuffer(portable))
      return JSON.stringify(portable);
    return portable;
  }

  columnConverter(spec: ColumnSpec): Converter {
    return buildColumnConverter(spec, { booleans: [1, 0], datetime: isoText });
  }

  addGeneratedId(builder: TableBuilder): TableBuilder {
    return builder.addColumn('id', 'integer', (definition) => definition.primaryKey().autoIncrement());
  }

  listTables(db: LakeKysely): Promise<string[]> {
    return listSqliteTables(db);
  }

  tableExists(db: LakeKysely, table: string): Promise<boolean> {
    return sqliteTableExists(db, table);
  }

  describeTable(db: LakeKysely, table: string): Promise<TableDescription | undefined> {
    return describeSqliteTable(db, table);
  }

  upsertClause(keyColumns: string[], updateColumns: string[]): string {
    return onConflictClause((name) => this.quote(name), keyColumns, updateColumns);
  }

  async insertReturningIds(
    db: LakeKysely,
    table: string,
    columns: readonly string[],
    values: unknown[],
    rowCount: number,
  ): Promise<number[]> {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statement = `INSERT INTO ${this.quote(table)} (${columns.map((name) => this.quote(name)).join(', ')}) VALUES ${Array(rowCount).fill(tuple).join(', ')} RETURNING "id"`;
    const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(statement, values));
    // Ids are assigned in VALUES order; RETURNING's order is unspecified, so sort.
    return result.rows.map((row) => Number(row.id)).sort((left, right) => left - right);
  }
}

/**
 * Kysely's SQLite adapter takes no migration lock and runs migrations outside a transaction:
 * it assumes one process. Two connector processes migrating one database file at once
 * (scopes synced in parallel) would both read "not applied", and the second would fail on a
 * table the first created. `BEGIN IMMEDIATE` takes SQLite's write lock before anything is
 * read, so the second waits (busy_timeout) and then finds the first's migrations applied.
 */
class ProcessSafeSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    await sql`begin immediate`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    try {
      await sql`commit`.execute(db);
    } catch (error) {
      // Acquiring failed, so there is nothing to commit; anything else is a real failure.
      if (!/no transaction is active/i.test((error as Error).message)) throw error;
    }
  }
}

class ProcessSafeSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new ProcessSafeSqliteAdapter();
  }
}
