import { sql } from 'kysely';
import type { LakeKysely } from '../../lake-kysely.js';
import { groupIndexRows, type TableDescription } from '../../schema-description.js';
import type { Introspector } from '../store-dialect.js';

/**
 * PostgreSQL's catalogue (`pg_catalog`), limited to the connection's current schema. Plain
 * SELECTs only: a failing statement would abort the migration's transaction.
 */
export async function listPostgresTables(db: LakeKysely): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select tablename as name from pg_catalog.pg_tables where schemaname = current_schema() order by tablename
  `.execute(db);
  return result.rows.map((row) => row.name);
}

export async function postgresTableExists(db: LakeKysely, table: string): Promise<boolean> {
  const result = await sql`
    select 1 from pg_catalog.pg_tables where schemaname = current_schema() and tablename = ${table}
  `.execute(db);
  return result.rows.length > 0;
}

export async function describePostgresTable(db: LakeKysely, table: string): Promise<TableDescription | undefined> {
  const columns = await sql<{ name: string; type: string; nullable: boolean }>`
    select attribute.attname as name,
           pg_catalog.format_type(attribute.atttypid, attribute.atttypmod) as type,
           not attribute.attnotnull as nullable
    from pg_catalog.pg_attribute as attribute
    join pg_catalog.pg_class as relation on relation.oid = attribute.attrelid
    join pg_catalog.pg_namespace as namespace on namespace.oid = relation.relnamespace
    where namespace.nspname = current_schema() and relation.relname = ${table} and relation.relkind = 'r'
      and attribute.attnum > 0 and not attribute.attisdropped
    order by attribute.attnum
  `.execute(db);
  if (columns.rows.length === 0) return undefined;
  const indexes = await sql<{ index: string; column: string; unique: boolean; primary: boolean }>`
    select index_relation.relname as "index", attribute.attname as "column",
           index_entry.indisunique as "unique", index_entry.indisprimary as "primary"
    from pg_catalog.pg_index as index_entry
    join pg_catalog.pg_class as relation on relation.oid = index_entry.indrelid
    join pg_catalog.pg_namespace as namespace on namespace.oid = relation.relnamespace
    join pg_catalog.pg_class as index_relation on index_relation.oid = index_entry.indexrelid
    cross join lateral unnest(index_entry.indkey::int2[]) with ordinality as key_column(attnum, ordinal)
    join pg_catalog.pg_attribute as attribute on attribute.attrelid = relation.oid and attribute.attnum = key_column.attnum
    where namespace.nspname = current_schema() and relation.relname = ${table}
    order by index_relation.relname, key_column.ordinal
  `.execute(db);
  return { name: table, columns: columns.rows, ...groupIndexRows(indexes.rows) };
}

export const postgresIntrospector: Introspector = {
  listTables: listPostgresTables,
  tableExists: postgresTableExists,
  describeTable: describePostgresTable,
};
