import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import { asDate, issueType, labelValue, minutesBetween } from '../mappings.js';
import type { GithubTypes } from '../settings.js';

export const issuesTable = defineToolTable<GithubTypes>()({
  entity: 'issues',
  columns: {
    githubId: { ...key(column.bigint()), source: '/id' },
    repoId: column.bigint(),
    number: column.bigint(),
    title: column.text(),
    body: column.text(),
    state: column.varchar(20),
    stateReason: { ...column.varchar(40), source: '/state_reason' },
    htmlUrl: { ...column.varchar(), source: '/html_url' },
    authorId: { ...column.bigint(), source: '/user/id' },
    authorLogin: { ...column.varchar(), source: '/user/login' },
    assigneeId: { ...column.bigint(), source: '/assignee/id' },
    assigneeLogin: { ...column.varchar(), source: '/assignee/login' },
    milestoneId: { ...column.bigint(), source: '/milestone/id' },
    labels: column.json(),
    commentCount: { ...column.bigint(), source: '/comments' },
    issueCreatedAt: { ...column.datetime(), source: '/created_at' },
    issueUpdatedAt: { ...column.datetime(), source: '/updated_at' },
    closedAt: { ...nullable(column.datetime()), source: '/closed_at' },
  },
  produces: ['issues', 'board_issues'],
  *convert(row, context) {
    const config = context.scopeConfig;
    const labels = Array.isArray(row.labels) ? (row.labels as string[]) : [];
    const created = asDate(row.issue_created_at);
    const closed = row.state === 'closed' ? asDate(row.closed_at) : null;
    const type = issueType(labels, config);
    const id = context.ids.of('GithubIssue', row.github_id!);
    yield domainRecord('issues', {
      id,
      url: String(row.html_url),
      issue_key: String(row.number),
      title: row.title,
      description: row.body,
      type: type.type,
      original_type: type.original,
      // DevLake: closed → DONE (with its resolution date and lead time), anything else → TODO.
      status: row.state === 'closed' ? 'DONE' : 'TODO',
      original_status: String(row.state),
      resolution_date: closed,
      created_date: created,
      updated_date: row.issue_updated_at,
      lead_time_minutes: closed ? minutesBetween(created, closed) : null,
      creator_id: row.author_id ? context.ids.of('GithubAccount', row.author_id) : '',
      creator_name: row.author_login,
      assignee_id: row.assignee_id ? context.ids.of('GithubAccount', row.assignee_id) : '',
      assignee_name: row.assignee_login,
      priority: labelValue(labels, config.issuePriority),
      severity: labelValue(labels, config.issueSeverity),
      component: labelValue(labels, config.issueComponent),
      original_project: context.scope.fullName,
    });
    yield domainRecord('board_issues', { board_id: context.ids.of('GithubRepo', row.repo_id!), issue_id: id });
  },
});

export const issueLabelsTable = defineToolTable<GithubTypes>()({
  entity: 'issue_labels',
  columns: { issueId: key(column.bigint()), labelName: { ...key(column.varchar()), source: '/name' } },
  produces: ['issue_labels'],
  *convert(row, context) {
    yield domainRecord('issue_labels', {
      issue_id: context.ids.of('GithubIssue', row.issue_id!),
      label_name: String(row.label_name),
    });
  },
});

export const issueAssigneesTable = defineToolTable<GithubTypes>()({
  entity: 'issue_assignees',
  columns: {
    issueId: key(column.bigint()),
    assigneeId: { ...key(column.bigint()), source: '/id' },
    login: column.varchar(),
  },
  produces: ['issue_assignees'],
  *convert(row, context) {
    yield domainRecord('issue_assignees', {
      issue_id: context.ids.of('GithubIssue', row.issue_id!),
      assignee_id: context.ids.of('GithubAccount', row.assignee_id!),
      assignee_name: row.login,
    });
  },
});

/** Conversation comments on issues and pull requests (GitHub serves both from one endpoint). */
export const issueCommentsTable = defineToolTable<GithubTypes>()({
  entity: 'issue_comments',
  columns: {
    githubId: { ...key(column.bigint()), source: '/id' },
    repoId: column.bigint(),
    issueNumber: column.bigint(),
    /** The GitHub id of the issue, or of the pull request when `onPullRequest`. */
    parentId: column.bigint(),
    onPullRequest: column.bool(),
    body: column.text(),
    authorId: { ...column.bigint(), source: '/user/id' },
    authorLogin: { ...column.varchar(), source: '/user/login' },
    commentCreatedAt: { ...column.datetime(), source: '/created_at' },
    commentUpdatedAt: { ...nullable(column.datetime()), source: '/updated_at' },
  },
  produces: ['issue_comments', 'pull_request_comments'],
  *convert(row, context) {
    const account = row.author_id ? context.ids.of('GithubAccount', row.author_id) : '';
    if (row.on_pull_request) {
      yield domainRecord('pull_request_comments', {
        id: context.ids.of('GithubPrComment', row.github_id!),
        pull_request_id: context.ids.of('GithubPullRequest', row.parent_id!),
        body: row.body,
        account_id: account,
        created_date: row.comment_created_at,
        type: 'NORMAL',
      });
    } else {
      yield domainRecord('issue_comments', {
        id: context.ids.of('GithubIssueComment', row.github_id!),
        issue_id: context.ids.of('GithubIssue', row.parent_id!),
        body: row.body,
        account_id: account,
        created_date: row.comment_created_at,
        updated_date: row.comment_updated_at,
      });
    }
  },
});
