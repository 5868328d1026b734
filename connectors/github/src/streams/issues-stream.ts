import { defineStream, extractRow, replaceRows } from '@lake/sdk';
import { repoIdOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { issueAssigneesTable, issueLabelsTable, issuesTable } from '../tables/issue-tables.js';
import { collectUpdatedSince, type UpdatedSinceState } from './updated-since-listing.js';

interface IssuePayload {
  id: number;
  updated_at: string;
  pull_request?: unknown;
  labels?: Array<{ name: string } | string>;
  assignees?: Array<{ id: number; login: string }>;
}

const labelNames = (issue: IssuePayload) =>
  (issue.labels ?? []).map((label) => (typeof label === 'string' ? label : label.name));

/** Issues with their labels and assignees; pull requests, which GitHub lists as issues too, are left to their own stream. */
export const issuesStream = defineStream<GithubTypes, UpdatedSinceState>({
  name: 'issues',
  description: 'Issues, their labels and assignees (incremental by updated time)',
  incremental: true,
  dependsOn: ['repository'],
  tables: [issuesTable, issueLabelsTable, issueAssigneesTable],
  collect: (context) =>
    collectUpdatedSince<IssuePayload>(
      context,
      `${repositoryPath(context.scope)}/issues`,
      { state: 'all' },
      {
        keep: (issue) => issue.pull_request === undefined,
      },
    ),
  async extract(data, context) {
    const issue = data as IssuePayload;
    const repoId = await repoIdOf(context);
    // The labels and assignees listed are all of them: those taken off since the last sync go.
    return [
      extractRow(issuesTable, issue, { repoId, labels: labelNames(issue) }),
      replaceRows(issueLabelsTable, { issueId: issue.id }),
      ...labelNames(issue).map((name) => extractRow(issueLabelsTable, { name }, { issueId: issue.id })),
      replaceRows(issueAssigneesTable, { issueId: issue.id }),
      ...(issue.assignees ?? []).map((assignee) => extractRow(issueAssigneesTable, assignee, { issueId: issue.id })),
    ];
  },
});
