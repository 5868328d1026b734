import { LakeError, type LakeKysely } from '@lake/sdk';
import { dateOf, textOf } from '../values.js';

/** A pull request as `explain` reads it, merged or not. */
export interface PullRequestRecord {
  id: string;
  key: string;
  status: string;
  baseRepoId: string;
  authorId: string;
  mergeCommitSha: string;
  createdDate: Date | null;
  mergedDate: Date | null;
}

/** The pull request with this id; an id `pull_requests` does not hold is refused, naming it. */
export async function pullRequestRecord(db: LakeKysely, id: string): Promise<PullRequestRecord> {
  const row = await db
    .selectFrom('pull_requests')
    .select([
      'id',
      'pull_request_key',
      'status',
      'base_repo_id',
      'author_id',
      'merge_commit_sha',
      'created_date',
      'merged_date',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row)
    throw new LakeError<'PULL_REQUEST_UNKNOWN'>(
      'PULL_REQUEST_UNKNOWN',
      `pull request "${id}" is not in pull_requests`,
      {
        source: 'metrics-dora',
        details: { pullRequestId: id },
      },
    );
  return {
    id: String(row.id),
    key: textOf(row.pull_request_key),
    status: textOf(row.status),
    baseRepoId: textOf(row.base_repo_id),
    authorId: textOf(row.author_id),
    mergeCommitSha: textOf(row.merge_commit_sha),
    createdDate: dateOf(row.created_date),
    mergedDate: dateOf(row.merged_date),
  };
}

/** How many commits and comments the pull request has, and how many comments are its author's or by no account. */
export async function pullRequestActivity(
  db: LakeKysely,
  pullRequest: PullRequestRecord,
): Promise<{ commits: number; comments: number; authorComments: number; anonymousComments: number }> {
  const commits = await db
    .selectFrom('pull_request_commits')
    .select('commit_sha')
    .where('pull_request_id', '=', pullRequest.id)
    .execute();
  const comments = await db
    .selectFrom('pull_request_comments')
    .select('account_id')
    .where('pull_request_id', '=', pullRequest.id)
    .execute();
  const accounts = comments.map((comment) => (comment.account_id === null ? null : String(comment.account_id)));
  return {
    commits: commits.length,
    comments: comments.length,
    authorComments: accounts.filter((account) => pullRequest.authorId !== '' && account === pullRequest.authorId)
      .length,
    anonymousComments: accounts.filter((account) => account === null).length,
  };
}
