import { defineStream, extractRow } from '@lake/sdk';
import { idByNumber, numberFromUrl, repoIdOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { issueCommentsTable } from '../tables/issue-tables.js';
import { collectUpdatedSince, type UpdatedSinceState } from './updated-since-listing.js';

/**
 * Conversation comments of the whole repository, from one incremental listing; each becomes
 * an issue comment or, on a pull request, a pull-request comment of type NORMAL.
 */
export const issueCommentsStream = defineStream<GithubTypes, UpdatedSinceState>({
  name: 'issue_comments',
  description: 'Comments on issues and pull-request conversations (incremental)',
  incremental: true,
  dependsOn: ['issues', 'pull_requests'],
  tables: [issueCommentsTable],
  collect: (context) => collectUpdatedSince(context, `${repositoryPath(context.scope)}/issues/comments`, {}),
  async extract(data, context) {
    const comment = data as { issue_url?: string };
    const repoId = await repoIdOf(context);
    const number = numberFromUrl(comment.issue_url);
    if (number === undefined) return [];
    const pullRequestId = await idByNumber(context, '_tool_github_pull_requests', repoId, number);
    const parentId = pullRequestId ?? (await idByNumber(context, '_tool_github_issues', repoId, number));
    // A comment on an issue that is not in the lake (older than timeAfter, or transferred) has nothing to hang on.
    if (parentId === undefined) return [];
    return extractRow(issueCommentsTable, comment, {
      repoId,
      issueNumber: number,
      parentId,
      onPullRequest: pullRequestId !== undefined,
    });
  },
});
