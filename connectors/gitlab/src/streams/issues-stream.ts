import { defineRestStream, defineRestSubstream, extractRow, nextPageHeader, replaceRows } from '@lake/sdk';
import { type GitlabTypes, projectPath } from '../settings.js';
import { issueAssigneesTable, issueLabelsTable, issueNotesTable, issuesTable } from '../tables/issue-tables.js';
import { PAGE_SIZE, UPDATED_ASCENDING, updatedAfter } from './updated-after.js';

interface IssuePayload {
  id: number;
  labels?: unknown[];
  assignees?: Array<{ id: number; username?: string }>;
}

const labelName = (label: unknown) =>
  typeof label === 'string' ? label : String((label as { name?: unknown } | null)?.name ?? '');

/** Issues with their labels and assignees, incremental by `updated_after`; labels and assignees taken off go. */
export const issuesStream = defineRestStream<GitlabTypes>({
  name: 'issues',
  description: 'Issues with their labels and assignees (incremental by updated time)',
  dependsOn: ['project'],
  tables: [issuesTable, issueLabelsTable, issueAssigneesTable],
  path: (context) => `${projectPath(context.scope)}/issues`,
  searchParams: { scope: 'all', ...UPDATED_ASCENDING },
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  cursor: updatedAfter,
  extract(data: IssuePayload) {
    const labels = (data.labels ?? []).map(labelName).filter((name) => name !== '');
    const issueId = data.id;
    return [
      extractRow(issuesTable, data, { labels }),
      replaceRows(issueLabelsTable, { issueId }),
      ...labels.map((name) => extractRow(issueLabelsTable, { name }, { issueId })),
      replaceRows(issueAssigneesTable, { issueId }),
      ...(data.assignees ?? []).map((assignee) => extractRow(issueAssigneesTable, assignee, { issueId })),
    ];
  },
});

/**
 * The notes of each issue changed since the last pass: a note added or edited moves its issue's
 * `updated_at`, so the issues listing brings the issue back and its notes are read again.
 */
export const issueNotesStream = defineRestSubstream<GitlabTypes>()({
  name: 'issue_notes',
  description: 'Notes of each issue (issue_comments; system notes left out)',
  incremental: true,
  parent: { stream: 'issues', table: issuesTable },
  tables: [issueNotesTable],
  path: (context, issue) => `${projectPath(context.scope)}/issues/${issue.iid}/notes`,
  searchParams: { order_by: 'created_at', sort: 'asc' },
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  input: (issue) => ({ issueId: issue.gitlab_id }),
  extract: (note, context) => extractRow(issueNotesTable, note, context.input),
});
