import type { CollectContext, RestStreamState, ScopeContext } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';
import type { JiraIssue } from './jira-payloads.js';

/**
 * Whether an issue listed again is exactly the one already in the lake: listed at or before the
 * last run's cursor, and stored with the same update time (to the millisecond). JQL bounds are
 * minutes and inclusive, so each incremental run lists again the issues of the cursor's last
 * minute; those that did not change since are left out rather than collected twice. Never on a
 * first or `--full` run (no saved cursor): that run must see every issue, for the sweep.
 */
export async function isUnchangedIssue(issue: JiraIssue, context: ScopeContext<JiraTypes>): Promise<boolean> {
  const cursor = (context as Partial<CollectContext<JiraTypes, RestStreamState>>).state?.cursor;
  const updated = Date.parse(issue.fields?.updated ?? '');
  if (cursor === undefined || Number.isNaN(updated) || updated > Date.parse(cursor)) return false;
  const stored = await context.db
    .selectFrom('_tool_jira_issues')
    .select('issue_updated_at')
    .where('connection_id', '=', context.connection.id)
    .where('issue_id', '=', Number(issue.id))
    .executeTakeFirst();
  const value = stored?.issue_updated_at as Date | string | null | undefined;
  if (value === null || value === undefined) return false;
  return (value instanceof Date ? value.getTime() : Date.parse(String(value))) === updated;
}
