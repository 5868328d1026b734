import { ApiError, defineStream, extractRow, sql } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';
import { accountsTable } from '../tables/account-tables.js';

/** Logins asked for at once (within the connection's budget). */
const CHUNK = 8;

/**
 * Accounts of everyone this scope's issues, pull requests, reviews and comments mention,
 * from `GET /users/{login}`. Incremental by nature: only logins not yet described are
 * asked for (a full sync asks again for all). Deleted users ("ghost") are skipped.
 */
export const accountsStream = defineStream<GithubTypes>({
  name: 'accounts',
  description: 'Users mentioned by the scope’s issues, pull requests, reviews and comments',
  incremental: true,
  dependsOn: ['issues', 'pull_requests', 'issue_comments', 'pull_request_reviews', 'review_comments'],
  tables: [accountsTable],
  async *collect(context) {
    const logins = await mentionedLogins(context, !context.full);
    for (let start = 0; start < logins.length; start += CHUNK) {
      const chunk = logins.slice(start, start + CHUNK);
      const users = await Promise.all(
        chunk.map((login) =>
          context.client.api.get(`/users/${encodeURIComponent(login)}`).catch((error: unknown) => {
            if (error instanceof ApiError && error.code === 'HTTP_NOT_FOUND') return undefined;
            throw error;
          }),
        ),
      );
      for (const user of users) if (user) yield { data: user.body, url: user.url };
      // Nothing to remember: the next run works out what is still missing.
      await context.checkpoint({});
    }
  },
  extract: (data) => extractRow(accountsTable, data),
});

async function mentionedLogins(
  context: { db: import('@lake/sdk').LakeKysely; rawParams: string; ids: { connectionId: number } },
  onlyMissing: boolean,
): Promise<string[]> {
  const sources: Array<[table: string, column: string]> = [
    ['_tool_github_issues', 'author_login'],
    ['_tool_github_issues', 'assignee_login'],
    ['_tool_github_issue_assignees', 'login'],
    ['_tool_github_pull_requests', 'author_login'],
    ['_tool_github_issue_comments', 'author_login'],
    ['_tool_github_reviews', 'author_login'],
    ['_tool_github_review_comments', 'author_login'],
  ];
  const logins = new Set<string>();
  for (const [table, column] of sources) {
    const rows = await sql<{ login: string }>`
      SELECT DISTINCT ${sql.ref(column)} AS login FROM ${sql.table(table)}
      WHERE connection_id = ${context.ids.connectionId} AND _raw_data_params = ${context.rawParams} AND ${sql.ref(column)} <> ''`.execute(
      context.db,
    );
    for (const row of rows.rows) logins.add(String(row.login));
  }
  if (onlyMissing) {
    const described = await context.db
      .selectFrom('_tool_github_accounts')
      .select('login')
      .where('connection_id', '=', context.ids.connectionId)
      .execute();
    for (const row of described) logins.delete(String(row.login));
  }
  return [...logins].sort();
}
