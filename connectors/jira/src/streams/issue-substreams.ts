import { defineRestSubstream, extractRow, offset } from '@lake/sdk';
import { richText } from '../adf-text.js';
import { accountIdOf } from '../mappings.js';
import type { JiraTypes } from '../settings.js';
import { commentsTable, worklogsTable } from '../tables/activity-tables.js';
import { issuesTable } from '../tables/issue-tables.js';
import type { JiraUser } from './jira-payloads.js';

interface JiraComment {
  id: string;
  author?: JiraUser;
  body?: unknown;
  created?: string;
  updated?: string;
}

interface JiraWorklog {
  id: string;
  author?: JiraUser;
  comment?: unknown;
  started?: string;
  created?: string;
  timeSpentSeconds?: number;
}

/** The comments of each issue changed since the last pass that has any (v3 bodies are ADF, read as text). */
export const issueCommentsStream = defineRestSubstream<JiraTypes>()({
  name: 'issue_comments',
  description: 'Comments of each changed issue (issue_comments)',
  incremental: true,
  parent: { stream: 'issues', table: issuesTable, filter: (issue) => issue.comment_total > 0 },
  tables: [commentsTable],
  path: (context, issue) => `/rest/api/${context.client.restVersion}/issue/${issue.issue_id}/comment`,
  paginator: offset({ size: 100 }),
  records: '/comments',
  input: (issue) => ({ issueId: issue.issue_id! }),
  extract: (comment: JiraComment, context) =>
    extractRow(commentsTable, comment, {
      commentId: Number(comment.id),
      issueId: context.input.issueId,
      body: richText(comment.body),
      authorId: accountIdOf(comment.author) ?? '',
    }),
});

/** The worklogs of each issue changed since the last pass that has any. */
export const issueWorklogsStream = defineRestSubstream<JiraTypes>()({
  name: 'issue_worklogs',
  description: 'Worklogs of each changed issue (issue_worklogs)',
  incremental: true,
  parent: { stream: 'issues', table: issuesTable, filter: (issue) => issue.worklog_total > 0 },
  tables: [worklogsTable],
  path: (context, issue) => `/rest/api/${context.client.restVersion}/issue/${issue.issue_id}/worklog`,
  paginator: offset({ size: 100 }),
  records: '/worklogs',
  input: (issue) => ({ issueId: issue.issue_id! }),
  extract: (worklog: JiraWorklog, context) =>
    extractRow(worklogsTable, worklog, {
      worklogId: Number(worklog.id),
      issueId: context.input.issueId,
      authorId: accountIdOf(worklog.author) ?? '',
      comment: richText(worklog.comment),
    }),
});
