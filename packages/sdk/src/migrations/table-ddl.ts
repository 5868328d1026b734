import { createHash } from 'node:crypto';
import { type ColumnSpec, column, key } from '../domain/columns.js';
import { PROVENANCE_COLUMNS } from '../domain/domain-schema.js';
import { LakeError } from '../errors/lake-error.js';
import { killPoint } from '../faults/kill-points.js';
import type { StoreDialect, TableBuilder } from '../store/dialects/store-dialect.js';
import type { LakeKysely } from '../store/lake-kysely.js';
import type { TableDescription } from '../store/schema-description.js';

/** Identifier length limit shared by all three dialects (PostgreSQL's 63). */
const MAX_IDENTIFIER = 63;

/*
 * Every function here is idempotent and completing: it creates what is missing and skips what
 * exists, checked against the database's catalogue (`StoreDialect.describeTable`). MySQL's
 * DDL is not transactional, so a process killed between a CREATE TABLE and its CREATE INDEX
 * leaves the table without the index, and the migration unrecorded; the re-run must finish
 * the job rather than stop at "the table exists". Each statement is preceded by a kill point.
 */

export async function createTable(
  db: LakeKysely,
  dialect: StoreDialect,
  name: string,
  columns: Record<string, ColumnSpec>,
  provenance: boolean,
): Promise<void> {
  const all: Record<string, ColumnSpec> = provenance ? { ...columns, ...PROVENANCE_COLUMNS } : { ...columns };
  const keys = Object.entries(all)
    .filter(([, spec]) => spec.primaryKey)
    .map(([columnName]) => columnName);
  let existing = await dialect.introspector.describeTable(db, name);
  if (!existing) {
    let builder: TableBuilder = db.schema.createTable(name);
    for (const [columnName, spec] of Object.entries(all)) {
      builder = builder.addColumn(columnName, dialect.columnType(spec), (definition) =>
        // Non-nullable columns really are: DevLake's SQL relies on '' / 0 / false, never NULL.
        spec.primaryKey || (!spec.nullable && spec.kind !== 'datetime' && spec.kind !== 'json')
          ? definition.notNull()
          : definition,
      );
    }
    if (keys.length > 0) builder = builder.addPrimaryKeyConstraint(constraintName('pk', name, keys), keys as never);
    if (dialect.tableOptions) builder = builder.modifyEnd(dialect.tableOptions);
    killPoint(`ddl: create table ${name}`);
    await builder.execute();
    existing = { name, columns: [], primaryKey: [], indexes: [] };
  }
  for (const [columnName, spec] of Object.entries(all)) {
    if (spec.index && !(keys.length === 1 && keys[0] === columnName))
      await ensureIndex(db, dialect, existing, name, [columnName]);
  }
}

/**
 * Creates an index on `columns` unless the table has it already (MySQL 8 has no CREATE INDEX
 * IF NOT EXISTS, so the catalogue is asked first).
 */
export async function createIndex(
  db: LakeKysely,
  dialect: StoreDialect,
  table: string,
  columns: string[],
): Promise<void> {
  await ensureIndex(db, dialect, await dialect.introspector.describeTable(db, table), table, columns);
}

/** Whether a table exists, without failing (a failed statement would abort a PostgreSQL transaction). */
export function tableExists(db: LakeKysely, dialect: StoreDialect, table: string): Promise<boolean> {
  return dialect.introspector.tableExists(db, table);
}

/** Adds a column unless the table has it, then its index unless that exists. */
export async function addColumn(
  db: LakeKysely,
  dialect: StoreDialect,
  table: string,
  name: string,
  spec: ColumnSpec,
): Promise<void> {
  const existing = await dialect.introspector.describeTable(db, table);
  if (!existing?.columns.some((column) => column.name === name)) {
    killPoint(`ddl: add column ${table}.${name}`);
    await db.schema.alterTable(table).addColumn(name, dialect.columnType(spec)).execute();
  }
  if (spec.index) await ensureIndex(db, dialect, existing, table, [name]);
}

/**
 * Renames `table.from` to `to`, keeping its values and indexes (one `ALTER TABLE … RENAME
 * COLUMN`, atomic on every dialect). A table that already has `to` and no `from` is left as it
 * is, so a migration killed after the rename and before it was recorded runs again cleanly.
 */
export async function renameColumn(
  db: LakeKysely,
  dialect: StoreDialect,
  table: string,
  from: string,
  to: string,
): Promise<void> {
  const existing = await dialect.introspector.describeTable(db, table);
  const names = new Set(existing?.columns.map((column) => column.name));
  if (names.has(to) && !names.has(from)) return;
  if (!names.has(from) || names.has(to)) {
    const found = !existing ? 'no such table' : names.has(to) ? `both ${from} and ${to} exist` : `no column ${from}`;
    throw new LakeError('MIGRATION_FAILED', `cannot rename ${table}.${from} to ${to}: ${found}`, {
      details: { table, from, to },
    });
  }
  killPoint(`ddl: rename column ${table}.${from} to ${to}`);
  await db.schema.alterTable(table).renameColumn(from, to).execute();
}

/** The columns a raw table has: DevLake's shape. */
export const RAW_TABLE_COLUMNS = {
  params: { ...column.varchar(255), index: true },
  data: column.text(),
  url: column.text(),
  input: column.text(),
  created_at: { ...column.datetime(), index: true },
} as const satisfies Record<string, ColumnSpec>;

/**
 * `_raw_<connector>_<stream>` with an auto-increment id, created on first use. Several
 * processes may sync scopes of one connector at once: when another one created the table
 * between the check and the CREATE, that is success.
 */
export async function createRawTable(db: LakeKysely, dialect: StoreDialect, name: string): Promise<void> {
  let existing = await dialect.introspector.describeTable(db, name);
  if (!existing) {
    try {
      await createRawTableNow(db, dialect, name);
    } catch (error) {
      if (!(await dialect.introspector.tableExists(db, name))) throw error;
    }
    existing = await dialect.introspector.describeTable(db, name);
  }
  for (const [columnName, spec] of Object.entries(RAW_TABLE_COLUMNS as Record<string, ColumnSpec>)) {
    if (spec.index) await ensureIndex(db, dialect, existing, name, [columnName]);
  }
}

async function createRawTableNow(db: LakeKysely, dialect: StoreDialect, name: string): Promise<void> {
  let builder = dialect.addGeneratedId(db.schema.createTable(name));
  for (const [columnName, spec] of Object.entries(RAW_TABLE_COLUMNS)) {
    builder = builder.addColumn(columnName, dialect.columnType(spec));
  }
  if (dialect.tableOptions) builder = builder.modifyEnd(dialect.tableOptions);
  killPoint(`ddl: create raw table ${name}`);
  await builder.execute();
}

/**
 * Creates the index `idx_<table>_<columns>` unless `table` (as described before) has it. When
 * the CREATE fails because another process created the index meanwhile (raw tables are
 * created outside any lock), that is success.
 */
async function ensureIndex(
  db: LakeKysely,
  dialect: StoreDialect,
  table: TableDescription | undefined,
  tableName: string,
  columns: string[],
): Promise<void> {
  const indexName = constraintName('idx', tableName, columns);
  if (table?.indexes.some((index) => index.name === indexName)) return;
  killPoint(`ddl: create index on ${tableName} (${columns.join(', ')})`);
  try {
    await db.schema.createIndex(indexName).on(tableName).columns(columns).execute();
  } catch (error) {
    const now = await dialect.introspector.describeTable(db, tableName).catch(() => undefined);
    if (!now?.indexes.some((index) => index.name === indexName)) throw error;
  }
}

/** The tool-table key every connector table starts with. */
export const CONNECTION_ID_COLUMN = { connection_id: key(column.bigint()) } as const;

function constraintName(prefix: string, table: string, columns: string[]): string {
  const name = `${prefix}_${table}_${columns.join('_')}`.replace(/[^A-Za-z0-9_]/g, '_');
  if (name.length <= MAX_IDENTIFIER) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${name.slice(0, MAX_IDENTIFIER - 11)}_${digest}`;
}
