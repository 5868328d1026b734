import { ApiError, defineStream, extractRow, sql } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';
import { accountsTable } from '../tables/account-tables.js';

/** Logins asked for at once (within the connection's budget). */
const CHUNK = 8;

/**
 * How long a login that GitHub answered 404 for (an account renamed or removed since it was
 * mentioned) is not asked for again. A full sync asks again at once.
 */
export const MISSING_LOGIN_RETRY_MS = 30 * 24 * 3_600_000;

/** Logins GitHub has no account for, with when it said so; while a full run is unfinished, the last login it asked for. */
export interface AccountsState {
  missing?: Record<string, string>;
  after?: string;
}

/**
 * Accounts of everyone this scope's issues, pull requests, reviews and comments mention,
 * from `GET /users/{login}`, in login order. Incremental by nature: only logins not yet
 * described are asked for (a full sync asks again for all); logins answered 404 are remembered
 * and asked again only after `MISSING_LOGIN_RETRY_MS`.
 *
 * A checkpoint follows every login, so that a resumed run goes on exactly where the lake says:
 * an incremental run's list leaves out what the interrupted run stored (the lake describes
 * those now), a full run's starts after the last login it asked for. (With a checkpoint per
 * chunk, a resumed incremental run left out the stored logins *and* skipped as many of the
 * others, which the engine took for already committed.)
 */
export const accountsStream = defineStream<GithubTypes, AccountsState>({
  name: 'accounts',
  description: 'Users mentioned by the scope’s issues, pull requests, reviews and comments',
  incremental: true,
  dependsOn: ['issues', 'pull_requests', 'issue_comments', 'pull_request_reviews', 'review_comments'],
  tables: [accountsTable],
  async *collect(context) {
    const askAgainBefore = Date.now() - MISSING_LOGIN_RETRY_MS;
    const missing = Object.fromEntries(
      Object.entries(context.state?.missing ?? {}).filter(([, at]) => Date.parse(at) >= askAgainBefore),
    );
    const after = context.full ? context.state?.after : undefined;
    const logins = (await mentionedLogins(context, !context.full)).filter(
      (login) => !Object.hasOwn(missing, login) && (after === undefined || login > after),
    );
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
      const now = new Date().toISOString();
      for (const [index, user] of users.entries()) {
        const login = chunk[index]!;
        if (user) yield { data: user.body, url: user.url };
        else missing[login] = now;
        await context.checkpoint({ missing: { ...missing }, ...(context.full ? { after: login } : {}) });
      }
    }
    await context.checkpoint({ missing });
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
