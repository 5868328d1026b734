import { sql } from 'kysely';
import type { LakeKysely } from '../../lake-kysely.js';
import { groupIndexRows, type TableDescription } from '../../schema-description.js';
import type { Introspector } from '../store-dialect.js';

/** MySQL/MariaDB's `information_schema` (tables, columns, statistics) of the connection's database. */
export async function listMysqlTables(db: LakeKysely): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = database() and table_type = 'BASE TABLE' order by table_name
  `.execute(db);
  return result.rows.map((row) => row.name);
}

export async function mysqlTableExists(db: LakeKysely, table: string): Promise<boolean> {
  const result = await sql`
    select 1 from information_schema.tables where table_schema = database() and table_name = ${table}
  `.execute(db);
  return result.rows.length > 0;
}

export async function describeMysqlTable(db: LakeKysely, table: string): Promise<TableDescription | undefined> {
  const columns = await sql<{ name: string; type: string; nullable: string }>`
    select column_name as name, column_type as type, is_nullable as nullable from information_schema.columns
    where table_schema = database() and table_name = ${table} order by ordinal_position
  `.execute(db);
  if (columns.rows.length === 0) return undefined;
  const indexes = await sql<{ index: string; column: string; nonUnique: number }>`
    select index_name as ${sql.ref('index')}, column_name as ${sql.ref('column')}, non_unique as nonUnique
    from information_schema.statistics
    where table_schema = database() and table_name = ${table}
    order by index_name, seq_in_index
  `.execute(db);
  return {
    name: table,
    columns: columns.rows.map((column) => ({
      name: column.name,
      type: column.type,
      nullable: column.nullable === 'YES',
    })),
    ...groupIndexRows(
      indexes.rows.map((row) => ({
        index: row.index,
        column: row.column,
        unique: Number(row.nonUnique) === 0,
        primary: row.index === 'PRIMARY',
      })),
    ),
  };
}

export const mysqlIntrospector: Introspector = {
  listTables: listMysqlTables,
  tableExists: mysqlTableExists,
  describeTable: describeMysqlTable,
};
