import { defineRestSubstream, extractRow, linkHeader } from '@lake/sdk';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { pullRequestCommitsTable, pullRequestsTable, reviewsTable } from '../tables/pull-request-tables.js';

// #region substream
/** The commits of each pull request changed since the last pass (GitHub lists at most 250). */
export const pullRequestCommitsStream = defineRestSubstream<GithubTypes>()({
  name: 'pull_request_commits',
  description: 'Commits of each pull request',
  incremental: true,
  parent: { stream: 'pull_requests', table: pullRequestsTable },
  tables: [pullRequestCommitsTable],
  path: (context, pullRequest) => `${repositoryPath(context.scope)}/pulls/${pullRequest.number}/commits`,
  searchParams: { per_page: 100 },
  paginator: linkHeader(),
  input: (pullRequest) => ({ pullRequestId: pullRequest.github_id }),
  extract: (commit, context) => extractRow(pullRequestCommitsTable, commit, context.input),
});
// #endregion substream

/** The submitted reviews of each pull request changed since the last pass. */
export const pullRequestReviewsStream = defineRestSubstream<GithubTypes>()({
  name: 'pull_request_reviews',
  description: 'Reviews of each pull request (as REVIEW comments, and reviewers)',
  incremental: true,
  parent: { stream: 'pull_requests', table: pullRequestsTable },
  tables: [reviewsTable],
  path: (context, pullRequest) => `${repositoryPath(context.scope)}/pulls/${pullRequest.number}/reviews`,
  searchParams: { per_page: 100 },
  paginator: linkHeader(),
  input: (pullRequest) => ({ pullRequestId: pullRequest.github_id }),
  // A PENDING review is a draft only its author (the token's account) sees; DevLake leaves it out too.
  extract: (review: { state?: string }, context) =>
    review.state === 'PENDING' ? undefined : extractRow(reviewsTable, review, context.input),
});
