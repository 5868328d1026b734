import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import { issueType, labelValue, minutesBetween } from '../mappings.js';
import type { GitlabTypes } from '../settings.js';

export const issuesTable = defineToolTable<GitlabTypes>()({
  entity: 'issues',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    projectId: { ...column.bigint(), source: '/project_id' },
    iid: column.bigint(),
    title: column.text(),
    description: column.text(),
    state: column.varchar(20),
    issueType: { ...column.varchar(40), source: '/issue_type' },
    webUrl: { ...column.varchar(), source: '/web_url' },
    authorId: { ...column.bigint(), source: '/author/id' },
    authorUsername: { ...column.varchar(), source: '/author/username' },
    assigneeId: { ...column.bigint(), source: '/assignee/id' },
    assigneeUsername: { ...column.varchar(), source: '/assignee/username' },
    labels: column.json(),
    timeEstimate: { ...column.bigint(), source: '/time_stats/time_estimate' },
    totalTimeSpent: { ...column.bigint(), source: '/time_stats/total_time_spent' },
    weight: nullable(column.bigint()),
    issueCreatedAt: { ...column.datetime(), source: '/created_at' },
    issueUpdatedAt: { ...column.datetime(), source: '/updated_at' },
    closedAt: { ...nullable(column.datetime()), source: '/closed_at' },
    dueDate: { ...nullable(column.datetime()), source: '/due_date' },
  },
  produces: ['issues', 'board_issues'],
  *convert(row, context) {
    const config = context.scopeConfig;
    const labels = Array.isArray(row.labels) ? (row.labels as string[]) : [];
    const id = context.ids.of('GitlabIssue', row.gitlab_id!);
    const closed = row.state === 'closed';
    const type = issueType(labels, row.issue_type ?? '', config);
    const estimate = row.time_estimate ? Math.floor(row.time_estimate / 60) : null;
    const spent = row.total_time_spent ? Math.floor(row.total_time_spent / 60) : null;
    yield domainRecord('issues', {
      id,
      url: row.web_url,
      issue_key: String(row.iid),
      title: row.title,
      description: row.description,
      type: type.type,
      original_type: type.original,
      status: closed ? 'DONE' : 'TODO',
      original_status: String(row.state),
      story_point: row.weight,
      resolution_date: closed ? row.closed_at : null,
      created_date: row.issue_created_at,
      updated_date: row.issue_updated_at,
      lead_time_minutes: closed ? minutesBetween(row.issue_created_at, row.closed_at) : null,
      original_estimate_minutes: estimate,
      time_spent_minutes: spent,
      time_remaining_minutes: estimate === null ? null : Math.max(0, estimate - (spent ?? 0)),
      creator_id: row.author_id ? context.ids.of('GitlabAccount', row.author_id) : '',
      creator_name: row.author_username,
      assignee_id: row.assignee_id ? context.ids.of('GitlabAccount', row.assignee_id) : '',
      assignee_name: row.assignee_username,
      priority: labelValue(labels, config.issuePriority),
      original_project: context.scopeId,
      due_date: row.due_date,
    });
    yield domainRecord('board_issues', { board_id: context.ids.of('GitlabProject', row.project_id!), issue_id: id });
  },
});

export const issueLabelsTable = defineToolTable<GitlabTypes>()({
  entity: 'issue_labels',
  columns: { issueId: key(column.bigint()), labelName: { ...key(column.varchar()), source: '/name' } },
  produces: ['issue_labels'],
  *convert(row, context) {
    yield domainRecord('issue_labels', {
      issue_id: context.ids.of('GitlabIssue', row.issue_id!),
      label_name: String(row.label_name),
    });
  },
});

export const issueAssigneesTable = defineToolTable<GitlabTypes>()({
  entity: 'issue_assignees',
  columns: {
    issueId: key(column.bigint()),
    assigneeId: { ...key(column.bigint()), source: '/id' },
    username: column.varchar(),
  },
  produces: ['issue_assignees'],
  *convert(row, context) {
    yield domainRecord('issue_assignees', {
      issue_id: context.ids.of('GitlabIssue', row.issue_id!),
      assignee_id: context.ids.of('GitlabAccount', row.assignee_id!),
      assignee_name: row.username,
    });
  },
});

/**
 * Notes of issues: people's comments become issue_comments; system notes ("changed the
 * description", "closed") are GitLab's own changelog and are left out, as DevLake leaves them
 * out of merge requests' comments.
 */
export const issueNotesTable = defineToolTable<GitlabTypes>()({
  entity: 'issue_notes',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    issueId: column.bigint(),
    body: column.text(),
    isSystem: { ...column.bool(), source: '/system' },
    authorId: { ...column.bigint(), source: '/author/id' },
    authorUsername: { ...column.varchar(), source: '/author/username' },
    noteCreatedAt: { ...column.datetime(), source: '/created_at' },
    noteUpdatedAt: { ...nullable(column.datetime()), source: '/updated_at' },
  },
  produces: ['issue_comments'],
  *convert(row, context) {
    if (row.is_system) return;
    yield domainRecord('issue_comments', {
      id: context.ids.of('GitlabIssueNote', row.gitlab_id!),
      issue_id: context.ids.of('GitlabIssue', row.issue_id!),
      body: row.body,
      account_id: row.author_id ? context.ids.of('GitlabAccount', row.author_id) : '',
      created_date: row.note_created_at,
      updated_date: row.note_updated_at,
    });
  },
});
