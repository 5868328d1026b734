import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';

export const commentsTable = defineToolTable<JiraTypes>()({
  entity: 'issue_comments',
  columns: {
    commentId: key(column.bigint()),
    issueId: column.bigint(),
    body: column.text(),
    authorId: column.varchar(),
    commentCreatedAt: { ...nullable(column.datetime()), source: '/created' },
    commentUpdatedAt: { ...nullable(column.datetime()), source: '/updated' },
  },
  produces: ['issue_comments'],
  *convert(row, context) {
    yield domainRecord('issue_comments', {
      id: context.ids.of('JiraIssueComment', row.issue_id, row.comment_id!),
      issue_id: context.ids.of('JiraIssue', row.issue_id),
      body: row.body,
      account_id: row.author_id ? context.ids.of('JiraAccount', row.author_id) : '',
      created_date: row.comment_created_at,
      updated_date: row.comment_updated_at,
    });
  },
});

export const worklogsTable = defineToolTable<JiraTypes>()({
  entity: 'worklogs',
  columns: {
    worklogId: key(column.bigint()),
    issueId: column.bigint(),
    authorId: column.varchar(),
    comment: column.text(),
    timeSpentSeconds: { ...column.bigint(), source: '/timeSpentSeconds' },
    startedAt: { ...nullable(column.datetime()), source: '/started' },
    loggedAt: { ...nullable(column.datetime()), source: '/created' },
  },
  produces: ['issue_worklogs'],
  *convert(row, context) {
    yield domainRecord('issue_worklogs', {
      id: context.ids.of('JiraWorklog', row.issue_id, row.worklog_id!),
      issue_id: context.ids.of('JiraIssue', row.issue_id),
      author_id: row.author_id ? context.ids.of('JiraAccount', row.author_id) : '',
      comment: row.comment,
      time_spent_minutes: Math.floor(row.time_spent_seconds / 60),
      logged_date: row.logged_at,
      started_date: row.started_at,
    });
  },
});
