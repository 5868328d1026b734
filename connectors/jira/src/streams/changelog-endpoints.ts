import { type ApiClient, offset, paginate } from '@lake/sdk';
import type { JiraHistory } from './jira-payloads.js';

/** Issues per bulk request (Atlassian's limit), and histories per bulk page (its default; at most 10,000). */
export const BULK_CHANGELOG_ISSUES = 1_000;
const BULK_CHANGELOG_RESULTS = 1_000;
const PER_ISSUE_PAGE = 100;

interface BulkChangelogPage {
  issueChangeLogs?: Array<{ issueId?: string; changeHistories?: JiraHistory[] }>;
  nextPageToken?: string | null;
}

/**
 * Every history of up to 1,000 issues through Jira Cloud's `POST /rest/api/3/changelog/bulkfetch`,
 * paged by `nextPageToken` (an issue's histories may run across pages). Undefined when the
 * server has no such endpoint (a 404: Data Center, or a Cloud site without it yet).
 */
export async function bulkChangelogs(
  api: ApiClient,
  issueIds: readonly string[],
): Promise<Map<string, JiraHistory[]> | undefined> {
  const histories = new Map<string, JiraHistory[]>(issueIds.map((id) => [id, []]));
  let nextPageToken: string | undefined;
  do {
    const response = await api.request<BulkChangelogPage>({
      method: 'POST',
      path: '/rest/api/3/changelog/bulkfetch',
      json: {
        issueIdsOrKeys: issueIds,
        maxResults: BULK_CHANGELOG_RESULTS,
        ...(nextPageToken ? { nextPageToken } : {}),
      },
      // A read: safe to send again after a network error or a 5xx.
      idempotent: true,
      allowStatus: [404],
    });
    if (response.status === 404) return undefined;
    for (const log of response.body.issueChangeLogs ?? []) {
      const issueId = String(log.issueId ?? '');
      histories.set(issueId, [...(histories.get(issueId) ?? []), ...(log.changeHistories ?? [])]);
    }
    nextPageToken = response.body.nextPageToken || undefined;
  } while (nextPageToken);
  return histories;
}

/** Every history of one issue through `GET /rest/api/{2,3}/issue/{id}/changelog`, paged by `startAt`. */
export async function issueChangelog(api: ApiClient, restVersion: string, issueId: string): Promise<JiraHistory[]> {
  const histories: JiraHistory[] = [];
  const request = { path: `/rest/api/${restVersion}/issue/${issueId}/changelog` };
  for await (const page of paginate<JiraHistory>(api, request, offset({ size: PER_ISSUE_PAGE }))) {
    histories.push(...page.items);
  }
  return histories;
}
