import { sql } from 'kysely';
import type { LakeKysely } from '../../lake-kysely.js';
import { groupIndexRows, type IndexColumnRow, type TableDescription } from '../../schema-description.js';
import type { Introspector } from '../store-dialect.js';

/** SQLite's catalogue: `sqlite_master` and the table-valued pragmas. Its own `sqlite_*` tables are left out. */
export async function listSqliteTables(db: LakeKysely): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name
  `.execute(db);
  return result.rows.map((row) => row.name);
}

export async function sqliteTableExists(db: LakeKysely, table: string): Promise<boolean> {
  const result = await sql`select 1 from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return result.rows.length > 0;
}

export async function describeSqliteTable(db: LakeKysely, table: string): Promise<TableDescription | undefined> {
  if (!(await sqliteTableExists(db, table))) return undefined;
  const columns = await sql<{ name: string; type: string; notnull: number; pk: number }>`
    select name, type, "notnull", pk from pragma_table_info(${table}) order by cid
  `.execute(db);
  // origin 'pk' is the automatic index of a non-integer primary key: the key itself, not a secondary index.
  const indexes = await sql<{ index: string; column: string; unique: number }>`
    select list.name as "index", info.name as "column", list."unique" as "unique"
    from pragma_index_list(${table}) as list, pragma_index_info(list.name) as info
    where list.origin <> 'pk'
    order by list.name, info.seqno
  `.execute(db);
  const primaryKey = columns.rows
    .filter((column) => column.pk > 0)
    .sort((left, right) => left.pk - right.pk)
    .map((column) => column.name);
  const rows: IndexColumnRow[] = indexes.rows.map((row) => ({
    index: row.index,
    column: row.column,
    unique: Boolean(row.unique),
    primary: false,
  }));
  return {
    name: table,
    columns: columns.rows.map((column) => ({ name: column.name, type: column.type, nullable: !column.notnull })),
    primaryKey,
    indexes: groupIndexRows(rows).indexes,
  };
}

export const sqliteIntrospector: Introspector = {
  listTables: listSqliteTables,
  tableExists: sqliteTableExists,
  describeTable: describeSqliteTable,
};
