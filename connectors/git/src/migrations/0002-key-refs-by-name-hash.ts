import { createHash } from 'node:crypto';
import { column, key, type Migration, type MigrationContext, nullable } from '@lake/sdk';

/** The refs tool table as of this migration: keyed by the SHA-256 of the full name, names as text. */
const REFS_COLUMNS = {
  repo_id: key(column.varchar(255)),
  full_name_hash: key(column.varchar(64)),
  full_name: column.text(),
  name: column.text(),
  kind: column.varchar(20),
  commit_sha: column.varchar(40),
  is_default: column.bool(),
  ref_date: nullable(column.datetime()),
};
const COPIED_COLUMNS = [
  'connection_id',
  'repo_id',
  'full_name',
  'name',
  'kind',
  'commit_sha',
  'is_default',
  'ref_date',
  'created_at',
  'updated_at',
  '_raw_data_params',
  '_raw_data_table',
  '_raw_data_id',
  '_raw_data_remark',
] as const;
const PAGE_SIZE = 500;

/**
 * `_tool_git_refs` was keyed by `full_name varchar(255)`, and git allows longer ref names:
 * one such ref failed every sync on PostgreSQL and MySQL. The table is rebuilt keyed by
 * `full_name_hash` with the names as text, keeping its rows.
 *
 * MySQL commits each DDL statement on its own, so a process killed half-way leaves one of a
 * few states, and re-running from any of them ends in the same place: the old table is
 * dropped only once `_tool_git_refs_0002` holds a complete copy, and that copy is dropped
 * only once it has been copied back into the new table.
 */
export const keyRefsByNameHash: Migration = {
  async up(context) {
    const table = context.toolTableName('refs');
    const staging = `${table}_0002`;
    const columns = await columnsOf(context);
    if (columns.get(table)?.has('full_name') && !columns.get(table)?.has('full_name_hash')) {
      // The old table: copy it whole (again, if a killed run left part of a copy), then drop it.
      await context.db.schema.dropTable(staging).ifExists().execute();
      await context.createTable(staging, { connection_id: key(column.bigint()), ...REFS_COLUMNS });
      await copyRows(context, table, staging, (row) =>
        createHash('sha256').update(String(row.full_name)).digest('hex'),
      );
      await context.db.schema.dropTable(table).execute();
      columns.delete(table);
      columns.set(staging, new Set());
    }
    if (!columns.has(table)) await context.createToolTable('refs', REFS_COLUMNS);
    if (columns.has(staging)) {
      // The staging table is complete; the new table may hold part of an earlier copy.
      await context.db.deleteFrom(table).execute();
      await copyRows(context, staging, table, (row) => String(row.full_name_hash));
      await context.db.schema.dropTable(staging).execute();
    }
  },
};

/** Column names of the refs table and its staging copy, by table (absent tables are absent). */
async function columnsOf(context: MigrationContext): Promise<Map<string, Set<string>>> {
  const wanted = new Set([context.toolTableName('refs'), `${context.toolTableName('refs')}_0002`]);
  const tables = await context.db.introspection.getTables();
  return new Map(
    tables
      .filter((table) => wanted.has(table.name))
      .map((table) => [table.name, new Set(table.columns.map((each) => each.name))]),
  );
}

/** Copies every row in key order, one page at a time, with `full_name_hash` from `hashOf`. */
async function copyRows(
  context: MigrationContext,
  from: string,
  to: string,
  hashOf: (row: Record<string, unknown>) => string,
): Promise<void> {
  const sortKey = from.endsWith('_0002') ? 'full_name_hash' : 'full_name';
  let after: [unknown, unknown, unknown] | undefined;
  for (;;) {
    let query = context.db
      .selectFrom(from)
      .select([...COPIED_COLUMNS, ...(sortKey === 'full_name_hash' ? (['full_name_hash'] as const) : [])])
      .orderBy('connection_id')
      .orderBy('repo_id')
      .orderBy(sortKey)
      .limit(PAGE_SIZE);
    if (after) {
      const [connectionId, repoId, name] = after;
      query = query.where((builder) =>
        builder(builder.refTuple('connection_id', 'repo_id', sortKey), '>', builder.tuple(connectionId, repoId, name)),
      );
    }
    const rows = (await query.execute()) as Record<string, unknown>[];
    if (rows.length > 0) {
      await context.db
        .insertInto(to)
        .values(rows.map((row) => ({ ...row, full_name_hash: hashOf(row) })))
        .execute();
    }
    if (rows.length < PAGE_SIZE) return;
    const last = rows[rows.length - 1]!;
    after = [last.connection_id, last.repo_id, last[sortKey]];
  }
}
