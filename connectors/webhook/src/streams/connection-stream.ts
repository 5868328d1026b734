import { defineStream } from '@lake/sdk';
import { webhookIds } from '../domain-ids.js';
import type { WebhookTypes } from '../settings.js';
import { connectionsTable } from '../tables/connection-table.js';

/** The connection itself: nothing is fetched, the receiver is what takes data in. */
export const connectionStream = defineStream<WebhookTypes>({
  name: 'connection',
  description: 'The webhook connection as a cicd scope and a board, for projects to map',
  tables: [connectionsTable],
  async *collect(context) {
    const connectionId = context.connection.id;
    yield {
      data: {
        scopeId: webhookIds(connectionId).scope,
        name: context.scope.name ?? context.connection.name ?? `webhook ${connectionId}`,
      },
      url: `webhook://connections/${connectionId}`,
    };
  },
});
