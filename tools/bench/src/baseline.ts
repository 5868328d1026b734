/**
 * The hand-written baseline: the same HTTP pages, the same rows in the same three tables
 * (schema created by the same migrations), written with better-sqlite3 prepared statements,
 * one transaction per page — what a careful engineer would write without the SDK.
 */
import Database from 'better-sqlite3';

const ISSUE_COLUMNS = [
  'id',
  'url',
  'icon_url',
  'issue_key',
  'title',
  'description',
  'epic_key',
  'type',
  'original_type',
  'status',
  'original_status',
  'story_point',
  'resolution_date',
  'created_date',
  'updated_date',
  'lead_time_minutes',
  'original_estimate_minutes',
  'time_spent_minutes',
  'time_remaining_minutes',
  'creator_id',
  'creator_name',
  'assignee_id',
  'assignee_name',
  'parent_issue_id',
  'priority',
  'severity',
  'urgency',
  'component',
  'original_project',
  'is_subtask',
  'due_date',
  'fix_versions',
  'created_at',
  'updated_at',
  '_raw_data_params',
  '_raw_data_table',
  '_raw_data_id',
  '_raw_data_remark',
];
const TOOL_COLUMNS = [
  'connection_id',
  'id',
  'number',
  'title',
  'state',
  'author_login',
  'created_date',
  'item_updated_date',
  'closed_date',
  'body',
  'created_at',
  'updated_at',
  '_raw_data_params',
  '_raw_data_table',
  '_raw_data_id',
  '_raw_data_remark',
];

interface Item {
  id: number;
  number: number;
  title: string;
  state: string;
  user: { login: string };
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  body: string;
}

function upsert(table: string, columns: string[], keys: string[], rows: number): string {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const updates = columns
    .filter((name) => !keys.includes(name) && name !== 'created_at')
    .map((name) => `"${name}" = excluded."${name}"`);
  return `INSERT INTO "${table}" (${columns.map((name) => `"${name}"`).join(', ')}) VALUES ${Array(rows).fill(tuple).join(', ')} ON CONFLICT (${keys.map((name) => `"${name}"`).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}

export async function runBaseline(path: string, baseUrl: string, perPage: number): Promise<number> {
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const params = '{"ConnectionId":1,"ScopeId":"bench"}';
  const rawTable = '_raw_bench_items';
  const writePage = database.transaction((items: Item[], url: string) => {
    const now = new Date().toISOString();
    const rawSql = `INSERT INTO "${rawTable}" ("params", "data", "url", "input", "created_at") VALUES ${Array(items.length).fill('(?, ?, ?, ?, ?)').join(', ')} RETURNING "id"`;
    const rawValues: unknown[] = [];
    for (const item of items) rawValues.push(params, JSON.stringify(item), url, 'null', now);
    const ids = (prepared(rawSql).all(...rawValues) as Array<{ id: number }>)
      .map((row) => row.id)
      .sort((a, b) => a - b);
    const toolValues: unknown[] = [];
    const issueValues: unknown[] = [];
    items.forEach((item, index) => {
      const rawId = ids[index];
      toolValues.push(
        1,
        item.id,
        item.number,
        item.title,
        item.state,
        item.user.login,
        item.created_at,
        item.updated_at,
        item.closed_at,
        item.body,
        now,
        now,
        params,
        rawTable,
        rawId,
        '',
      );
      const created = new Date(item.created_at);
      const closed = item.closed_at ? new Date(item.closed_at) : null;
      issueValues.push(
        `bench:BenchItem:1:${item.id}`,
        '',
        '',
        String(item.number),
        item.title,
        item.body,
        '',
        '',
        '',
        item.state === 'closed' ? 'DONE' : 'TODO',
        item.state,
        null,
        closed?.toISOString() ?? null,
        created.toISOString(),
        new Date(item.updated_at).toISOString(),
        closed ? Math.floor((closed.getTime() - created.getTime()) / 60_000) : null,
        null,
        null,
        null,
        `bench:BenchAccount:1:${item.user.login}`,
        item.user.login,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        0,
        null,
        '',
        now,
        now,
        params,
        rawTable,
        rawId,
        '',
      );
    });
    // SQLite binds at most 32,766 variables per statement: write in slices of 500 rows.
    for (const [table, columns, keys, values] of [
      ['_tool_bench_items', TOOL_COLUMNS, ['connection_id', 'id'], toolValues],
      ['issues', ISSUE_COLUMNS, ['id'], issueValues],
    ] as const) {
      for (let offset = 0; offset < items.length; offset += 500) {
        const count = Math.min(500, items.length - offset);
        prepared(upsert(table, [...columns], [...keys], count)).run(
          ...values.slice(offset * columns.length, (offset + count) * columns.length),
        );
      }
    }
  });

  let url: string | undefined = `${baseUrl}/items?page=1&per_page=${perPage}`;
  let records = 0;
  while (url) {
    const response = await fetch(url, { headers: { authorization: 'Bearer bench-token' } });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    const items = (await response.json()) as Item[];
    writePage(items, url);
    records += items.length;
    url = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  }
  database.close();
  return records;
}
