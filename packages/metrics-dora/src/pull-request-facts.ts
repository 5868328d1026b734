import type { LakeKysely } from '@lake/sdk';
import { chunks, compareDates, compareText, dateOf, textOf } from './values.js';

/** A merged pull request of the project, with what its spans are measured from. */
export interface MergedPullRequest {
  id: string;
  authorId: string;
  mergeCommitSha: string;
  createdDate: Date | null;
  mergedDate: Date | null;
}

/** A dated thing (commit or comment) a span starts or ends at. */
export interface DatedEvent {
  id: string;
  date: Date | null;
}

/** The merged pull requests whose base repo is one of `repoIds`, sorted by id. */
export async function mergedPullRequests(db: LakeKysely, repoIds: readonly string[]): Promise<MergedPullRequest[]> {
  const pullRequests: MergedPullRequest[] = [];
  for (const repos of chunks(repoIds)) {
    const rows = await db
      .selectFrom('pull_requests')
      .select(['id', 'author_id', 'merge_commit_sha', 'created_date', 'merged_date'])
      .where('base_repo_id', 'in', repos)
      .where('merged_date', 'is not', null)
      .execute();
    for (const row of rows)
      pullRequests.push({
        id: String(row.id),
        authorId: textOf(row.author_id),
        mergeCommitSha: textOf(row.merge_commit_sha),
        createdDate: dateOf(row.created_date),
        mergedDate: dateOf(row.merged_date),
      });
  }
  return pullRequests.sort((left, right) => compareText(left.id, right.id));
}

/**
 * Per pull request, its earliest-authored commit (NULL dates first, as MySQL sorts them; ties
 * by sha).
 */
export async function firstCommits(
  db: LakeKysely,
  pullRequestIds: readonly string[],
): Promise<Map<string, DatedEvent>> {
  const first = new Map<string, DatedEvent>();
  for (const ids of chunks(pullRequestIds)) {
    const rows = await db
      .selectFrom('pull_request_commits')
      .select(['pull_request_id', 'commit_sha', 'commit_authored_date'])
      .where('pull_request_id', 'in', ids)
      .execute();
    for (const row of rows)
      keepEarliest(first, String(row.pull_request_id), {
        id: String(row.commit_sha),
        date: dateOf(row.commit_authored_date),
      });
  }
  return first;
}

/**
 * Per pull request, its first comment (any type) by someone other than its author: every
 * comment when the author is unknown, else those whose account is set and differs. Earliest
 * `created_date` (NULL first), ties by comment id.
 */
export async function firstReviews(
  db: LakeKysely,
  pullRequests: readonly Pick<MergedPullRequest, 'id' | 'authorId'>[],
): Promise<Map<string, DatedEvent & { accountId: string }>> {
  const authors = new Map(pullRequests.map((pullRequest) => [pullRequest.id, pullRequest.authorId]));
  const first = new Map<string, DatedEvent & { accountId: string }>();
  for (const ids of chunks([...authors.keys()])) {
    const rows = await db
      .selectFrom('pull_request_comments')
      .select(['id', 'pull_request_id', 'account_id', 'created_date'])
      .where('pull_request_id', 'in', ids)
      .execute();
    for (const row of rows) {
      const pullRequestId = String(row.pull_request_id);
      const author = authors.get(pullRequestId) ?? '';
      const account = row.account_id === null || row.account_id === undefined ? null : String(row.account_id);
      if (author !== '' && (account === null || account === author)) continue;
      keepEarliest(first, pullRequestId, {
        id: String(row.id),
        date: dateOf(row.created_date),
        accountId: account ?? '',
      });
    }
  }
  return first;
}

function keepEarliest<Event extends DatedEvent>(first: Map<string, Event>, key: string, candidate: Event): void {
  const current = first.get(key);
  if (!current || (compareDates(candidate.date, current.date) || compareText(candidate.id, current.id)) < 0)
    first.set(key, candidate);
}
