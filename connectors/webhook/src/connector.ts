import { defineConnector } from '@lake/sdk';
import { testWebhookConnection } from './connection-test.js';
import { webhookIds } from './domain-ids.js';
import { migrations } from './migrations/index.js';
import { connectionSchema, scopeConfigSchema, scopeSchema, WEBHOOK_SCOPE_ID } from './settings.js';
import { connectionStream } from './streams/connection-stream.js';

/**
 * The webhook connector: CI and incident tools post deployments and incidents to a receiver
 * (`lake-connector-webhook serve`, `lake webhook serve`), which writes them into the lake. A sync
 * only writes the connection's cicd scope and board, so that projects can map them.
 *
 *   lake-connector-webhook serve --port 8080 --context - <<< '{"connection":{"id":1,"token":"…"}}'
 */
export const webhookConnector = defineConnector({
  contractVersion: '1.0.0',
  name: 'webhook',
  description: 'Deployments and incidents posted over HTTP by any CI or incident tool, for the DORA metrics',
  domainTypes: ['CICD', 'TICKET'],
  connection: connectionSchema,
  scope: {
    schema: scopeSchema,
    id: () => WEBHOOK_SCOPE_ID,
    name: (scope) => scope.name ?? 'webhook',
  },
  scopeConfig: scopeConfigSchema,
  testConnection: testWebhookConnection,
  domainScopes: (context) => {
    const scope = webhookIds(context.connection.id).scope;
    return [
      { table: 'cicd_scopes', id: scope },
      { table: 'boards', id: scope },
    ];
  },
  streams: [connectionStream],
  migrations,
});
