import { defineRestStream, defineRestSubstream, extractRow, nextPageHeader, replaceRows } from '@lake/sdk';
import { type GitlabTypes, projectPath } from '../settings.js';
import {
  mergeRequestApproversTable,
  mergeRequestCommitsTable,
  mergeRequestLabelsTable,
  mergeRequestNotesTable,
  mergeRequestsTable,
} from '../tables/merge-request-tables.js';
import { PAGE_SIZE, UPDATED_ASCENDING, updatedAfter } from './updated-after.js';

interface MergeRequestPayload {
  id: number;
  labels?: unknown[];
}

/** A label as the listing gives it: a name, or an object with one (`with_labels_details=true`). */
const labelName = (label: unknown) =>
  typeof label === 'string' ? label : String((label as { name?: unknown } | null)?.name ?? '');

/**
 * Merge requests and their labels, incremental by `updated_after`. A merge request merged,
 * closed or edited after the last sync has a newer `updated_at` and is read again: its status,
 * merge commit and labels follow (the labels listed are all of them: those taken off go).
 */
export const mergeRequestsStream = defineRestStream<GitlabTypes>({
  name: 'merge_requests',
  description: 'Merge requests and their labels (incremental by updated time)',
  dependsOn: ['project'],
  tables: [mergeRequestsTable, mergeRequestLabelsTable],
  path: (context) => `${projectPath(context.scope)}/merge_requests`,
  searchParams: { state: 'all', scope: 'all', ...UPDATED_ASCENDING },
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  cursor: updatedAfter,
  extract(data: MergeRequestPayload) {
    const labels = (data.labels ?? []).map(labelName).filter((name) => name !== '');
    return [
      extractRow(mergeRequestsTable, data, { labels }),
      replaceRows(mergeRequestLabelsTable, { mergeRequestId: data.id }),
      ...labels.map((name) => extractRow(mergeRequestLabelsTable, { name }, { mergeRequestId: data.id })),
    ];
  },
});

/** The commits of each merge request changed since the last pass. */
export const mergeRequestCommitsStream = defineRestSubstream<GitlabTypes>()({
  name: 'merge_request_commits',
  description: 'Commits of each merge request',
  incremental: true,
  parent: { stream: 'merge_requests', table: mergeRequestsTable },
  tables: [mergeRequestCommitsTable],
  path: (context, mergeRequest) => `${projectPath(context.scope)}/merge_requests/${mergeRequest.iid}/commits`,
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  input: (mergeRequest) => ({ mergeRequestId: mergeRequest.gitlab_id }),
  extract: (commit, context) => extractRow(mergeRequestCommitsTable, commit, context.input),
});

/** The notes of each merge request changed since the last pass: comments, diff notes and approvals. */
export const mergeRequestNotesStream = defineRestSubstream<GitlabTypes>()({
  name: 'merge_request_notes',
  description: 'Notes of each merge request (pull_request_comments: comments, diff notes, approvals)',
  incremental: true,
  parent: { stream: 'merge_requests', table: mergeRequestsTable },
  tables: [mergeRequestNotesTable],
  path: (context, mergeRequest) => `${projectPath(context.scope)}/merge_requests/${mergeRequest.iid}/notes`,
  searchParams: { order_by: 'created_at', sort: 'asc' },
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  input: (mergeRequest) => ({ mergeRequestId: mergeRequest.gitlab_id }),
  extract: (note, context) => extractRow(mergeRequestNotesTable, note, context.input),
});

interface ApprovalsPayload {
  approved_by?: unknown[];
}

/**
 * Who approves each merge request changed since the last pass (`/approvals`, one object per
 * merge request, not paged). An approval given or withdrawn is a system note, which moves the
 * merge request's `updated_at`: the merge requests listing brings it back.
 */
export const mergeRequestApprovalsStream = defineRestSubstream<GitlabTypes>()({
  name: 'merge_request_approvals',
  description: 'Approvers of each merge request (pull_request_reviewers)',
  incremental: true,
  parent: { stream: 'merge_requests', table: mergeRequestsTable },
  tables: [mergeRequestApproversTable],
  path: (context, mergeRequest) => `${projectPath(context.scope)}/merge_requests/${mergeRequest.iid}/approvals`,
  // The answer is one object, the merge request's approval state: a page of one record.
  paginator: nextPageHeader({ size: PAGE_SIZE, items: (body: unknown) => [body] }),
  input: (mergeRequest) => ({ mergeRequestId: mergeRequest.gitlab_id }),
  extract: (approvals: ApprovalsPayload, context) => [
    replaceRows(mergeRequestApproversTable, context.input),
    ...(approvals.approved_by ?? []).map((approver) => extractRow(mergeRequestApproversTable, approver, context.input)),
  ],
});
