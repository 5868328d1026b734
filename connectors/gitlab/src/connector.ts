import { defineConnector, type TestConnectionResult } from '@lake/sdk';
import { createGitlabClient } from './client.js';
import { migrations } from './migrations/index.js';
import { connectionSchema, scopeConfigSchema, scopeSchema } from './settings.js';
import { itemsStream } from './streams/items-stream.js';

// #region connector
export const gitlabConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'gitlab',
  description: 'Lake connector for the Gitlab REST API: project items as issues.',
  domainTypes: ['TICKET', 'CROSS'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: (scope) => scope.project,
    name: (scope) => scope.project,
    rawParams: (connectionId, scope) => ({ ConnectionId: connectionId, Project: scope.project }),
  },
  scopeConfig: scopeConfigSchema,
  client: createGitlabClient,
  async testConnection(context): Promise<TestConnectionResult> {
    try {
      const { body } = await context.client.api.get<{ name: string }>('me');
      return { ok: true, message: `authenticated as ${body.name}` };
    } catch (error) {
      // An ApiError says what the API answered (401, 404, …) with the URL redacted; a network error says why it could not ask.
      return { ok: false, message: (error as Error).message };
    }
  },
  domainScopes: (context) => [{ table: 'boards', id: context.ids.of('GitlabBoard', context.scopeId) }],
  streams: [itemsStream],
  migrations,
});
// #endregion connector
