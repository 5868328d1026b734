import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type ColumnSpec, column, key } from '../domain/columns.js';
import { PROVENANCE_COLUMNS } from '../domain/domain-schema.js';
import { killPoint } from '../faults/kill-points.js';
import type { LakeKysely } from '../store/lake-kysely.js';
import type { StoreDialect } from '../store/store-dialect.js';

/** Identifier length limit shared by all three dialects (PostgreSQL's 63). */
const MAX_IDENTIFIER = 63;

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
  if (await tableExists(db, dialect, name)) return;
  let builder = db.schema.createTable(name);
  for (const [columnName, spec] of Object.entries(all)) {
    builder = builder.addColumn(columnName, dialect.columnType(spec), (definition) =>
      // Non-nullable columns really are: DevLake's SQL relies on '' / 0 / false, never NULL.
      spec.primaryKey || (!spec.nullable && spec.kind !== 'datetime' && spec.kind !== 'json')
        ? definition.notNull()
        : definition,
    );
  }
  if (keys.length > 0) builder = builder.addPrimaryKeyConstraint(constraintName('pk', name, keys), keys as never);
  if (dialect.name === 'mysql')
    builder = builder.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  killPoint(`ddl: create table ${name}`);
  await builder.execute();
  for (const [columnName, spec] of Object.entries(all)) {
    if (spec.index && !(keys.length === 1 && keys[0] === columnName)) await createIndex(db, name, [columnName]);
  }
}

/** Creates an index; callers run it once per table (MySQL 8 has no CREATE INDEX IF NOT EXISTS). */
export async function createIndex(db: LakeKysely, table: string, columns: string[]): Promise<void> {
  killPoint(`ddl: create index on ${table} (${columns.join(', ')})`);
  await db.schema
    .createIndex(constraintName('idx', table, columns))
    .on(table)
    .columns(columns)
    .execute();
}

/** Whether a table exists, without failing (a failed statement would abort a PostgreSQL transaction). */
export async function tableExists(db: LakeKysely, dialect: StoreDialect, table: string): Promise<boolean> {
  const query =
    dialect.name === 'sqlite'
      ? sql`select 1 from sqlite_master where type = 'table' and name = ${table}`
      : dialect.name === 'postgres'
        ? sql`select 1 from information_schema.tables where table_schema = current_schema() and table_name = ${table}`
        : sql`select 1 from information_schema.tables where table_schema = database() and table_name = ${table}`;
  const result = await query.execute(db);
  return result.rows.length > 0;
}

export async function addColumn(
  db: LakeKysely,
  dialect: StoreDialect,
  table: string,
  name: string,
  spec: ColumnSpec,
): Promise<void> {
  killPoint(`ddl: add column ${table}.${name}`);
  await db.schema.alterTable(table).addColumn(name, dialect.columnType(spec)).execute();
  if (spec.index) await createIndex(db, table, [name]);
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
  if (await tableExists(db, dialect, name)) return;
  try {
    await createRawTableNow(db, dialect, name);
  } catch (error) {
    if (await tableExists(db, dialect, name)) return;
    throw error;
  }
}

async function createRawTableNow(db: LakeKysely, dialect: StoreDialect, name: string): Promise<void> {
  let builder = db.schema.createTable(name);
  builder =
    dialect.name === 'sqlite'
      ? builder.addColumn('id', 'integer', (definition) => definition.primaryKey().autoIncrement())
      : dialect.name === 'postgres'
        ? builder.addColumn('id', 'bigserial', (definition) => definition.primaryKey())
        : builder.addColumn('id', 'bigint', (definition) => definition.unsigned().autoIncrement().primaryKey());
  for (const [columnName, spec] of Object.entries(RAW_TABLE_COLUMNS)) {
    builder = builder.addColumn(columnName, dialect.columnType(spec));
  }
  if (dialect.name === 'mysql')
    builder = builder.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  killPoint(`ddl: create raw table ${name}`);
  await builder.execute();
  await createIndex(db, name, ['params']);
  await createIndex(db, name, ['created_at']);
}

/** The tool-table key every connector table starts with. */
export const CONNECTION_ID_COLUMN = { connection_id: key(column.bigint()) } as const;

function constraintName(prefix: string, table: string, columns: string[]): string {
  const name = `${prefix}_${table}_${columns.join('_')}`.replace(/[^A-Za-z0-9_]/g, '_');
  if (name.length <= MAX_IDENTIFIER) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${name.slice(0, MAX_IDENTIFIER - 11)}_${digest}`;
}
