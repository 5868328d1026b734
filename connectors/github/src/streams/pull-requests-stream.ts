import { defineStream, extractRow, replaceRows } from '@lake/sdk';
import { repoIdOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { pullRequestLabelsTable, pullRequestsTable } from '../tables/pull-request-tables.js';
import { collectNewestFirst, type NewestFirstState } from './newest-first-listing.js';

interface PullRequestPayload {
  id: number;
  updated_at: string;
  labels?: Array<{ name: string }>;
}

/** Pull requests and their labels, newest change first until the last run's bookmark. */
export const pullRequestsStream = defineStream<GithubTypes, NewestFirstState>({
  name: 'pull_requests',
  description: 'Pull requests and their labels (incremental by updated time)',
  incremental: true,
  dependsOn: ['repository'],
  tables: [pullRequestsTable, pullRequestLabelsTable],
  collect: (context) =>
    collectNewestFirst<PullRequestPayload>(context, `${repositoryPath(context.scope)}/pulls`, { state: 'all' }),
  async extract(data, context) {
    const pullRequest = data as PullRequestPayload;
    const labels = (pullRequest.labels ?? []).map((label) => label.name);
    // The labels listed are all of them: those taken off since the last sync go.
    return [
      extractRow(pullRequestsTable, pullRequest, { repoId: await repoIdOf(context), labels }),
      replaceRows(pullRequestLabelsTable, { pullRequestId: pullRequest.id }),
      ...labels.map((name) => extractRow(pullRequestLabelsTable, { name }, { pullRequestId: pullRequest.id })),
    ];
  },
});
