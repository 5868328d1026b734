import { type Store, sql } from '@lake/sdk';

/**
 * A database's schema as text lines, sorted: one per column (`table.column type [null]`) and one
 * per index (`table index name (columns) [unique]`). Two lakes that went through the same
 * migrations have equal descriptions, however often their migrations were interrupted.
 */
export async function describeSchema(store: Store): Promise<string[]> {
  const lines: string[] = [];
  for (const table of await store.db.introspection.getTables({ withInternalKyselyTables: true })) {
    for (const column of table.columns) {
      lines.push(`${table.name}.${column.name} ${column.dataType.toLowerCase()}${column.isNullable ? ' null' : ''}`);
    }
  }
  for (const index of await indexesOf(store)) {
    lines.push(`${index.table} index ${index.name} (${index.columns})${index.unique ? ' unique' : ''}`);
  }
  return lines.sort();
}

interface IndexRow {
  table: string;
  name: string;
  columns: string;
  unique: boolean;
}

async function indexesOf(store: Store): Promise<IndexRow[]> {
  switch (store.dialect.name) {
    case 'sqlite': {
      const indexes = await sql<{ name: string; table: string; unique: number }>`
        SELECT il.name AS name, m.name AS "table", il."unique" AS "unique"
        FROM sqlite_master m, pragma_index_list(m.name) il WHERE m.type = 'table'`.execute(store.db);
      const rows: IndexRow[] = [];
      for (const index of indexes.rows) {
        const columns = await sql<{
          name: string;
        }>`SELECT name FROM pragma_index_info(${index.name}) ORDER BY seqno`.execute(store.db);
        rows.push({
          table: index.table,
          name: index.name,
          columns: columns.rows.map((column) => column.name).join(', '),
          unique: Boolean(index.unique),
        });
      }
      return rows;
    }
    case 'postgres': {
      const result = await sql<{ table: string; name: string; columns: string; unique: boolean }>`
        SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique",
          string_agg(a.attname, ', ' ORDER BY k.ordinality) AS columns
        FROM pg_index ix
        JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ordinality)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE n.nspname = current_schema()
        GROUP BY t.relname, i.relname, ix.indisunique`.execute(store.db);
      return result.rows.map((row) => ({ ...row, unique: Boolean(row.unique) }));
    }
    case 'mysql': {
      const result = await sql<{ table: string; name: string; columns: string; nonUnique: number }>`
        SELECT TABLE_NAME AS \`table\`, INDEX_NAME AS name, MIN(NON_UNIQUE) AS nonUnique,
          GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ', ') AS columns
        FROM information_schema.statistics WHERE TABLE_SCHEMA = database()
        GROUP BY TABLE_NAME, INDEX_NAME`.execute(store.db);
      return result.rows.map((row) => ({
        table: row.table,
        name: row.name,
        columns: row.columns,
        unique: Number(row.nonUnique) === 0,
      }));
    }
  }
}
