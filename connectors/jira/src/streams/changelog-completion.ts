import type { ApiClient, ScopeContext } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';
import { BULK_CHANGELOG_ISSUES, bulkChangelogs, issueChangelog } from './changelog-endpoints.js';
import type { JiraHistory, JiraIssue } from './jira-payloads.js';

/** Issues of one page waiting for their changelogs, asked for together once the page's issues are all in. */
interface Batch {
  issueIds: string[];
  histories: Promise<Map<string, JiraHistory[]>>;
}

/** The open batch of each page (the context a page's transforms share), until it is sent. */
const openBatches = new WeakMap<object, Batch>();
/** Clients of servers that answered the bulk endpoint with a 404: they are asked issue by issue. */
const withoutBulk = new WeakSet<ApiClient>();

/** Whether the search returned fewer histories than the issue has (it returns at most 100 inline). */
export function changelogCutShort(issue: JiraIssue): boolean {
  const changelog = issue.changelog;
  return changelog !== undefined && (changelog.total ?? 0) > (changelog.histories ?? []).length;
}

/**
 * The issue with all of its changelog, when the search cut it short: on Jira Cloud through the
 * bulk endpoint, for all such issues of a page at once (up to 1,000 a request); on Data Center,
 * or a server without the bulk endpoint, through each issue's changelog endpoint. The issue is
 * returned unchanged when the search returned every history.
 *
 * The issues of a page are transformed together (`transformAll` starts every transform before
 * any resolves), so a batch is sent on the next turn of the event loop, holding every issue of
 * the page that needed it.
 */
export async function completeChangelog(issue: JiraIssue, context: ScopeContext<JiraTypes>): Promise<JiraIssue> {
  if (!changelogCutShort(issue)) return issue;
  let batch = openBatches.get(context);
  if (!batch || batch.issueIds.length >= BULK_CHANGELOG_ISSUES) {
    const issueIds: string[] = [];
    const histories = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      if (openBatches.get(context) === created) openBatches.delete(context);
      return fetchChangelogs(issueIds, context);
    });
    const created: Batch = { issueIds, histories };
    batch = created;
    openBatches.set(context, batch);
  }
  batch.issueIds.push(issue.id);
  const fetched = (await batch.histories).get(issue.id) ?? [];
  return withHistories(issue, fetched);
}

async function fetchChangelogs(issueIds: string[], context: ScopeContext<JiraTypes>) {
  const { api, restVersion } = context.client;
  if (restVersion === '3' && !withoutBulk.has(api)) {
    const histories = await bulkChangelogs(api, issueIds);
    if (histories) return histories;
    withoutBulk.add(api);
    context.logger.info('the server has no bulk changelog endpoint: changelogs are read issue by issue');
  }
  const histories = new Map<string, JiraHistory[]>();
  await Promise.all(
    issueIds.map(async (issueId) => histories.set(issueId, await issueChangelog(api, restVersion, issueId))),
  );
  return histories;
}

/** The histories returned inline and those fetched, each once (a history read twice is kept once, by id). */
function withHistories(issue: JiraIssue, fetched: JiraHistory[]): JiraIssue {
  const inline = issue.changelog?.histories ?? [];
  const byId = new Map<string, JiraHistory>();
  for (const history of [...inline, ...fetched]) byId.set(history.id ?? JSON.stringify(history), history);
  const histories = [...byId.values()];
  const total = Math.max(issue.changelog?.total ?? 0, histories.length);
  return { ...issue, changelog: { startAt: 0, maxResults: histories.length, total, histories } };
}
