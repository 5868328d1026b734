import { defineSubstream, extractRow, linkHeader, paginate } from '@lake/sdk';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { pullRequestCommitsTable, pullRequestsTable, reviewsTable } from '../tables/pull-request-tables.js';

// #region substream
/** The commits of each pull request changed since the last pass (GitHub lists at most 250). */
export const pullRequestCommitsStream = defineSubstream<GithubTypes>()({
  name: 'pull_request_commits',
  description: 'Commits of each pull request',
  incremental: true,
  parent: { stream: 'pull_requests', table: pullRequestsTable },
  tables: [pullRequestCommitsTable],
  async *collect(context, pullRequest) {
    const path = `${repositoryPath(context.scope)}/pulls/${pullRequest.number}/commits`;
    for await (const page of paginate(context.client.api, { path, searchParams: { per_page: 100 } }, linkHeader())) {
      for (const commit of page.items)
        yield { data: commit, url: page.response.url, input: { pullRequestId: pullRequest.github_id } };
    }
  },
  extract: (data, context) =>
    extractRow(pullRequestCommitsTable, data, {
      pullRequestId: (context.raw.input as { pullRequestId: number }).pullRequestId,
    }),
});
// #endregion substream

/** The submitted reviews of each pull request changed since the last pass. */
export const pullRequestReviewsStream = defineSubstream<GithubTypes>()({
  name: 'pull_request_reviews',
  description: 'Reviews of each pull request (as REVIEW comments, and reviewers)',
  incremental: true,
  parent: { stream: 'pull_requests', table: pullRequestsTable },
  tables: [reviewsTable],
  async *collect(context, pullRequest) {
    const path = `${repositoryPath(context.scope)}/pulls/${pullRequest.number}/reviews`;
    for await (const page of paginate(context.client.api, { path, searchParams: { per_page: 100 } }, linkHeader())) {
      for (const review of page.items)
        yield { data: review, url: page.response.url, input: { pullRequestId: pullRequest.github_id } };
    }
  },
  extract: (data, context) =>
    // A PENDING review is a draft only its author (the token's account) sees; DevLake leaves it out too.
    (data as { state?: string }).state === 'PENDING'
      ? undefined
      : extractRow(reviewsTable, data, {
          pullRequestId: (context.raw.input as { pullRequestId: number }).pullRequestId,
        }),
});
