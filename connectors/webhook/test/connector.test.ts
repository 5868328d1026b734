import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runTestConnection } from '@lake/sdk';
import { connectorInfo } from '@lake/sdk/testing';
import { createScratchDatabase, createTestLake, testDialects, validateConnectorInfo } from '@lake/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { webhookConnector } from '../src/connector.js';
import { startWebhookLake, TOKEN_ONE, TOKEN_TWO } from './support/webhook-lake.js';

const context = { connection: { id: 3, token: TOKEN_ONE, name: 'deploys from the shell' }, scope: {} };

describe.each(testDialects())('webhook sync on %s', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('writes the connection as one cicd scope and one board, and reports them for projects', async () => {
    const database = await createScratchDatabase(dialect);
    const lake = await createTestLake({ connector: webhookConnector, url: database.url });
    cleanups.push(database.drop, () => lake.store.close());
    const result = await lake.syncOrThrow(context);
    expect(result.domainScopes).toEqual([
      { table: 'cicd_scopes', id: 'webhook:WebhookConnection:3:webhook' },
      { table: 'boards', id: 'webhook:WebhookConnection:3:webhook' },
    ]);
    expect(
      await lake.count('cicd_scopes', { id: 'webhook:WebhookConnection:3:webhook', name: 'deploys from the shell' }),
    ).toBe(1);
    expect(await lake.count('boards', { id: 'webhook:WebhookConnection:3:webhook', type: 'webhook' })).toBe(1);
    // A second sync, renamed: still one row each, under the new name.
    await lake.syncOrThrow({ ...context, scope: { name: 'shell deploys' } });
    expect(await lake.count('cicd_scopes')).toBe(1);
    expect(await lake.count('boards', { name: 'shell deploys' })).toBe(1);
    const raw = JSON.stringify(await lake.store.db.selectFrom('_raw_webhook_connection').selectAll().execute());
    expect(raw).not.toContain(TOKEN_ONE);
  });
});

describe('webhook connection', () => {
  it('publishes a valid connector description with the token as its secret field', async () => {
    expect(validateConnectorInfo(webhookConnector, context)).toEqual([]);
    const info = connectorInfo(webhookConnector, '0.1.0');
    expect(JSON.stringify(info.schemas.connection)).toContain('"x-lake-secret":true');
  });

  it('refuses short tokens, naming the field', async () => {
    const result = webhookConnector.connectionWithId.safeParse({ id: 1, token: 'short' });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({ path: ['token'], message: 'must be at least 24 characters' }),
    ]);
  });

  it('test-connection: ready without a receiver URL, the token checked against a running receiver with one', async () => {
    const ready = await runTestConnection({ connector: webhookConnector, context });
    expect(ready).toMatchObject({ ok: true });
    expect(ready.message).toContain('/connections/3/deployments');

    const lake = await startWebhookLake('sqlite');
    try {
      const accepted = await runTestConnection({
        connector: webhookConnector,
        context: { connection: { id: 1, token: TOKEN_ONE, receiverUrl: `${lake.url}/` } },
      });
      expect(accepted).toMatchObject({
        ok: true,
        message: `the receiver at ${lake.url}/ accepts this connection's token`,
      });
      const refused = await runTestConnection({
        connector: webhookConnector,
        context: { connection: { id: 1, token: TOKEN_TWO, receiverUrl: lake.url } },
      });
      expect(refused).toMatchObject({ ok: false });
      expect(refused.message).toContain('refuses');
      expect(JSON.stringify(refused)).not.toContain(TOKEN_TWO);
    } finally {
      await lake.close();
    }
    const elsewhere = createServer((_request, response) => response.writeHead(500).end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => elsewhere.once('listening', resolve));
    const port = (elsewhere.address() as AddressInfo).port;
    const broken = await runTestConnection({
      connector: webhookConnector,
      context: { connection: { id: 1, token: TOKEN_ONE, receiverUrl: `http://127.0.0.1:${port}` } },
    });
    elsewhere.close();
    expect(broken).toMatchObject({ ok: false });
    expect(broken.message).toContain('answered 500');
    const gone = await runTestConnection({
      connector: webhookConnector,
      context: { connection: { id: 1, token: TOKEN_ONE, receiverUrl: `http://127.0.0.1:${port}` } },
    });
    expect(gone).toMatchObject({ ok: false });
    expect(gone.message).toContain('did not answer');
  });
});
