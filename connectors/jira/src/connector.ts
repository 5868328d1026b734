import { defineConnector } from '@lake/sdk';
import { createJiraClient } from './client.js';
import { migrations } from './migrations/index.js';
import { listJiraScopes } from './remote-scopes.js';
import { connectionSchema, scopeConfigSchema, scopeSchema } from './settings.js';
import { boardStream } from './streams/board-stream.js';
import { issueTypesStream, statusesStream } from './streams/catalog-streams.js';
import { issueCommentsStream, issueWorklogsStream } from './streams/issue-substreams.js';
import { issuesStream } from './streams/issues-stream.js';
import { sprintsStream } from './streams/sprints-stream.js';
import { testJiraConnection } from './test-connection.js';

/** The Jira connector: one agile board per scope, from Jira Cloud or Data Center, into DevLake's ticket domain. */
export const jiraConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'jira',
  description: 'Issues, changelogs, comments, worklogs, sprints and accounts of Jira Cloud and Data Center boards',
  domainTypes: ['TICKET', 'CROSS'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: (scope) => String(scope.boardId),
    name: (scope) => scope.name ?? `board ${scope.boardId}`,
    // DevLake's Jira params: {"ConnectionId":2,"BoardId":8}.
    rawParams: (connectionId, scope) => ({ ConnectionId: connectionId, BoardId: scope.boardId }),
  },
  scopeConfig: scopeConfigSchema,
  client: createJiraClient,
  testConnection: testJiraConnection,
  listRemoteScopes: (context, request) => listJiraScopes(context.client.api, request),
  domainScopes: (context) => [{ table: 'boards', id: context.ids.of('JiraBoard', context.scope.boardId) }],
  streams: [
    boardStream,
    sprintsStream,
    issueTypesStream,
    statusesStream,
    issuesStream,
    issueCommentsStream,
    issueWorklogsStream,
  ],
  migrations,
});
