import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import { labelValue, mergeRequestStatus } from '../mappings.js';
import type { GitlabTypes } from '../settings.js';

export const mergeRequestsTable = defineToolTable<GitlabTypes>()({
  entity: 'merge_requests',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    projectId: { ...column.bigint(), source: '/project_id' },
    iid: column.bigint(),
    title: column.text(),
    description: column.text(),
    state: column.varchar(20),
    draft: column.bool(),
    webUrl: { ...column.varchar(), source: '/web_url' },
    authorId: { ...column.bigint(), source: '/author/id' },
    authorUsername: { ...column.varchar(), source: '/author/username' },
    mergedById: { ...column.bigint(), source: '/merged_by/id' },
    mergedByUsername: { ...column.varchar(), source: '/merged_by/username' },
    labels: column.json(),
    sourceBranch: { ...column.varchar(), source: '/source_branch' },
    targetBranch: { ...column.varchar(), source: '/target_branch' },
    sourceProjectId: { ...column.bigint(), source: '/source_project_id' },
    targetProjectId: { ...column.bigint(), source: '/target_project_id' },
    sha: column.varchar(40),
    mergeCommitSha: { ...column.varchar(40), source: '/merge_commit_sha' },
    squashCommitSha: { ...column.varchar(40), source: '/squash_commit_sha' },
    mrCreatedAt: { ...column.datetime(), source: '/created_at' },
    mrUpdatedAt: { ...column.datetime(), source: '/updated_at' },
    mergedAt: { ...nullable(column.datetime()), source: '/merged_at' },
    closedAt: { ...nullable(column.datetime()), source: '/closed_at' },
  },
  produces: ['pull_requests'],
  *convert(row, context) {
    const labels = Array.isArray(row.labels) ? (row.labels as string[]) : [];
    const project = (id: number | null | undefined) => (id ? context.ids.of('GitlabProject', id) : '');
    yield domainRecord('pull_requests', {
      id: context.ids.of('GitlabMergeRequest', row.gitlab_id!),
      base_repo_id: project(row.target_project_id ?? row.project_id),
      head_repo_id: project(row.source_project_id),
      status: mergeRequestStatus(row.state),
      original_status: String(row.state),
      title: row.title,
      description: row.description,
      url: row.web_url,
      author_name: row.author_username,
      author_id: row.author_id ? context.ids.of('GitlabAccount', row.author_id) : '',
      merged_by_name: row.merged_by_username,
      merged_by_id: row.merged_by_id ? context.ids.of('GitlabAccount', row.merged_by_id) : '',
      pull_request_key: row.iid,
      created_date: row.mr_created_at,
      merged_date: row.merged_at,
      closed_date: row.closed_at,
      type: labelValue(labels, context.scopeConfig.prType),
      component: labelValue(labels, context.scopeConfig.prComponent),
      // As DevLake: the merge commit; a squash merged fast-forward has none, and its squash commit is what landed.
      merge_commit_sha: row.merge_commit_sha || row.squash_commit_sha,
      head_ref: row.source_branch,
      base_ref: row.target_branch,
      head_commit_sha: row.sha,
      is_draft: Boolean(row.draft),
    });
  },
});

export const mergeRequestLabelsTable = defineToolTable<GitlabTypes>()({
  entity: 'mr_labels',
  columns: { mergeRequestId: key(column.bigint()), labelName: { ...key(column.varchar()), source: '/name' } },
  produces: ['pull_request_labels'],
  *convert(row, context) {
    yield domainRecord('pull_request_labels', {
      pull_request_id: context.ids.of('GitlabMergeRequest', row.merge_request_id!),
      label_name: String(row.label_name),
    });
  },
});

export const mergeRequestCommitsTable = defineToolTable<GitlabTypes>()({
  entity: 'mr_commits',
  columns: {
    mergeRequestId: key(column.bigint()),
    sha: { ...key(column.varchar(40)), source: '/id' },
    message: column.text(),
    authorName: { ...column.varchar(), source: '/author_name' },
    authorEmail: { ...column.varchar(), source: '/author_email' },
    authoredDate: { ...column.datetime(), source: '/authored_date' },
  },
  produces: ['pull_request_commits'],
  *convert(row, context) {
    yield domainRecord('pull_request_commits', {
      pull_request_id: context.ids.of('GitlabMergeRequest', row.merge_request_id!),
      commit_sha: String(row.sha),
      commit_author_name: row.author_name,
      commit_author_email: row.author_email,
      commit_authored_date: row.authored_date,
    });
  },
});

/**
 * Notes of merge requests: comments (NORMAL), notes on the diff (DIFF), and approvals, which
 * GitLab records as the system note "approved this merge request" (REVIEW, status APPROVED).
 * Other system notes (label changes, pushes) are left out, as DevLake does.
 */
export const mergeRequestNotesTable = defineToolTable<GitlabTypes>()({
  entity: 'mr_notes',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    mergeRequestId: column.bigint(),
    body: column.text(),
    noteType: { ...column.varchar(40), source: '/type' },
    isSystem: { ...column.bool(), source: '/system' },
    authorId: { ...column.bigint(), source: '/author/id' },
    authorUsername: { ...column.varchar(), source: '/author/username' },
    noteCreatedAt: { ...column.datetime(), source: '/created_at' },
  },
  produces: ['pull_request_comments'],
  *convert(row, context) {
    const approval = Boolean(row.is_system) && /^approved this merge request$/i.test(String(row.body ?? '').trim());
    if (row.is_system && !approval) return;
    yield domainRecord('pull_request_comments', {
      id: context.ids.of('GitlabMrNote', row.gitlab_id!),
      pull_request_id: context.ids.of('GitlabMergeRequest', row.merge_request_id!),
      body: row.body,
      account_id: row.author_id ? context.ids.of('GitlabAccount', row.author_id) : '',
      created_date: row.note_created_at,
      type: approval ? 'REVIEW' : row.note_type === 'DiffNote' ? 'DIFF' : 'NORMAL',
      status: approval ? 'APPROVED' : '',
    });
  },
});

/**
 * Who approves a merge request now (`/approvals`' `approved_by`): DevLake's pull_request_reviewers.
 * An approval withdrawn goes: each reading replaces the merge request's approvers.
 */
export const mergeRequestApproversTable = defineToolTable<GitlabTypes>()({
  entity: 'mr_approvers',
  columns: {
    mergeRequestId: key(column.bigint()),
    userId: { ...key(column.bigint()), source: '/user/id' },
    username: { ...column.varchar(), source: '/user/username' },
    name: { ...column.varchar(), source: '/user/name' },
  },
  produces: ['pull_request_reviewers'],
  *convert(row, context) {
    yield domainRecord('pull_request_reviewers', {
      pull_request_id: context.ids.of('GitlabMergeRequest', row.merge_request_id!),
      reviewer_id: context.ids.of('GitlabAccount', row.user_id!),
      name: row.name,
      user_name: row.username,
    });
  },
});
