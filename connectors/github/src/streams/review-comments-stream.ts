import { defineStream, extractRow } from '@lake/sdk';
import { idByNumber, numberFromUrl, repoIdOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { reviewCommentsTable } from '../tables/pull-request-tables.js';
import { collectUpdatedSince, type UpdatedSinceState } from './updated-since-listing.js';

/** Comments on diff lines, for the whole repository from one incremental listing. */
export const reviewCommentsStream = defineStream<GithubTypes, UpdatedSinceState>({
  name: 'review_comments',
  description: 'Comments on pull-request diffs (DIFF comments, incremental)',
  incremental: true,
  dependsOn: ['pull_requests'],
  tables: [reviewCommentsTable],
  collect: (context) => collectUpdatedSince(context, `${repositoryPath(context.scope)}/pulls/comments`, {}),
  async extract(data, context) {
    const comment = data as { pull_request_url?: string };
    const number = numberFromUrl(comment.pull_request_url);
    const pullRequestId =
      number === undefined
        ? undefined
        : await idByNumber(context, '_tool_github_pull_requests', await repoIdOf(context), number);
    return pullRequestId === undefined ? [] : extractRow(reviewCommentsTable, comment, { pullRequestId });
  },
});
