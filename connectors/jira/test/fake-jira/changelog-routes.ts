import { type FakeRequest, type FakeResponse, hostileOrder, paginateByOffset } from '@lake/testkit/fake-api';
import type { FakeHistory, FakeIssue } from './dataset.js';
import { badRequest, notFound } from './jira-errors.js';

type Route = (path: string, handler: (request: FakeRequest) => FakeResponse, method?: string) => unknown;

export interface ChangelogRoutesOptions {
  route: Route;
  issues: FakeIssue[];
  historyJson: (history: FakeHistory) => unknown;
  /** Whether the server has `POST /rest/api/3/changelog/bulkfetch` (Jira Cloud); without it the path is a 404. */
  bulk: boolean;
}

/** Issues per bulk request, and histories per bulk page (default and most), as Atlassian documents them. */
const BULK_MAX_ISSUES = 1_000;
const BULK_DEFAULT_RESULTS = 1_000;
const BULK_MAX_RESULTS = 10_000;

/**
 * The changelog endpoints: per issue, `GET /rest/api/{2,3}/issue/{issueIdOrKey}/changelog`
 * (`startAt`/`maxResults` ≤ 100, `total`, `isLast`, `values`), and on Cloud
 * `POST /rest/api/3/changelog/bulkfetch` (`issueIdsOrKeys` ≤ 1,000, `maxResults` histories a page,
 * `nextPageToken`), answering `issueChangeLogs: [{issueId, changeHistories}]`, an issue's
 * histories possibly split across pages.
 */
export function addChangelogRoutes(options: ChangelogRoutesOptions): void {
  const { route, issues, historyJson } = options;
  const issueOf = (idOrKey: string) => issues.find((issue) => String(issue.id) === idOrKey || issue.key === idOrKey);
  route('/rest/api/:version/issue/:issue/changelog', (request) => {
    const issue = issueOf(request.params.issue!);
    if (!issue) return notFound('Issue');
    request.query.set('maxResults', String(Math.min(100, Number(request.query.get('maxResults') ?? 100))));
    const page = paginateByOffset(issue.histories.map(historyJson), request);
    const body = page.body as { startAt: number; maxResults: number; total: number; values: unknown[] };
    return { ...page, body: { ...body, isLast: body.startAt + body.maxResults >= body.total } };
  });
  route(
    '/rest/api/3/changelog/bulkfetch',
    (request) => (options.bulk ? bulkFetch(request, issueOf, historyJson) : notFound('Resource')),
    'POST',
  );
}

interface BulkRequest {
  issueIdsOrKeys?: unknown;
  maxResults?: unknown;
  nextPageToken?: unknown;
}

function bulkFetch(
  request: FakeRequest,
  issueOf: (idOrKey: string) => FakeIssue | undefined,
  historyJson: (history: FakeHistory) => unknown,
): FakeResponse {
  const body = (request.body ?? {}) as BulkRequest;
  const ids = body.issueIdsOrKeys;
  if (!Array.isArray(ids) || ids.length === 0)
    return badRequest([], { issueIdsOrKeys: 'You must provide at least one issue ID or key.' });
  if (ids.length > BULK_MAX_ISSUES)
    return badRequest([`You can request changelogs of at most ${BULK_MAX_ISSUES} issues at once.`]);
  const maxResults = Number(body.maxResults ?? BULK_DEFAULT_RESULTS);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > BULK_MAX_RESULTS)
    return badRequest([], { maxResults: `maxResults must be between 1 and ${BULK_MAX_RESULTS}.` });
  const start =
    typeof body.nextPageToken === 'string' ? Number(Buffer.from(body.nextPageToken, 'base64url').toString()) : 0;
  // Every history of the issues asked (unknown ones are left out, as Jira does), in one listing the tokens page through.
  const listing = hostileOrder(
    ids.flatMap((id) => {
      const issue = issueOf(String(id));
      return issue ? issue.histories.map((history) => ({ issueId: String(issue.id), history })) : [];
    }),
    request,
  );
  const end = start + maxResults;
  const logs: Array<{ issueId: string; changeHistories: unknown[] }> = [];
  for (const { issueId, history } of listing.slice(start, end)) {
    const last = logs.at(-1);
    if (last?.issueId === issueId) last.changeHistories.push(historyJson(history));
    else logs.push({ issueId, changeHistories: [historyJson(history)] });
  }
  return {
    body: {
      issueChangeLogs: logs,
      ...(end < listing.length ? { nextPageToken: Buffer.from(String(end)).toString('base64url') } : {}),
    },
    page: { number: Math.floor(start / maxResults) + 1, last: end >= listing.length },
  };
}
