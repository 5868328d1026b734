import { defineConnector, type TestConnectionResult } from '@lake/sdk';
import { createJiraClient } from './client.js';
import { migrations } from './migrations/index.js';
import { connectionSchema, scopeConfigSchema, scopeSchema } from './settings.js';
import { itemsStream } from './streams/items-stream.js';

// #region connector
export const jiraConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'jira',
  description: 'Lake connector for the Jira REST API: project items as issues.',
  domainTypes: ['TICKET', 'CROSS'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: (scope) => scope.project,
    name: (scope) => scope.project,
    rawParams: (connectionId, scope) => ({ ConnectionId: connectionId, Project: scope.project }),
  },
  scopeConfig: scopeConfigSchema,
  client: createJiraClient,
  async testConnection(context): Promise<TestConnectionResult> {
    try {
      const { body } = await context.client.api.get<{ name: string }>('me');
      return { ok: true, message: `authenticated as ${body.name}` };
    } catch (error) {
      // An ApiError says what the API answered (401, 404, …) with the URL redacted; a network error says why it could not ask.
      return { ok: false, message: (error as Error).message };
    }
  },
  domainScopes: (context) => [{ table: 'boards', id: context.ids.of('JiraBoard', context.scopeId) }],
  streams: [itemsStream],
  migrations,
});
// #endregion connector
