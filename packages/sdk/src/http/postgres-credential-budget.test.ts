import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWindowedRateLimitApi,
  type WindowedRateLimitApi,
} from '../../../testkit/src/fake-api/windowed-rate-limit-api.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { createApiClient } from './api-client.js';
import { credentialKey } from './credential-budget.js';
import { PostgresCredentialBudget } from './postgres-credential-budget.js';

if (!process.env.LAKE_TEST_PG_URL && process.env.CI === 'true')
  throw new Error('[lake] LAKE_TEST_PG_URL is not set; CI runs the credential budget suite on PostgreSQL');

const LIMIT = 4;
const fast = { baseDelayMs: 5, maxDelayMs: 20 };

describe.skipIf(!process.env.LAKE_TEST_PG_URL)('PostgresCredentialBudget', () => {
  let database: ScratchDatabase;
  let api: WindowedRateLimitApi;
  const budgets: PostgresCredentialBudget[] = [];

  beforeAll(async () => {
    database = await createScratchDatabase('postgres');
  });

  afterAll(async () => {
    for (const budget of budgets) await budget.close();
    await api?.close();
    await database?.drop();
  });

  /** `workers` clients, each with a budget of its own connection pool (as separate processes have). */
  async function sendFrom(tokens: string[], requestsEach: number, shared: boolean): Promise<number[]> {
    const statuses: number[] = [];
    await Promise.all(
      tokens.map(async (token) => {
        const budget = shared ? await PostgresCredentialBudget.open(database.url) : undefined;
        if (budget) budgets.push(budget);
        const client = createApiClient({
          baseUrl: api.url,
          auth: { type: 'bearer', token },
          budget: { maxInFlight: 3 },
          retry: { ...fast, limit: 0 },
          ...(budget ? { credentialBudget: budget } : {}),
        });
        for (let index = 0; index < requestsEach; index += 3) {
          const batch = Array.from({ length: Math.min(3, requestsEach - index) }, () =>
            client.get('/ping').then(
              (response) => response.status,
              (error: { details?: { status?: number } }) => error.details?.status ?? 0,
            ),
          );
          statuses.push(...(await Promise.all(batch)));
        }
      }),
    );
    return statuses;
  }

  it('without it, four clients of one token overrun the window (the check below can fail)', async () => {
    api = await startWindowedRateLimitApi({ limit: LIMIT, windowSeconds: 1 });
    const statuses = await sendFrom(['one', 'one', 'one', 'one'], 6, false);
    expect(statuses).toHaveLength(24);
    expect(api.maxPerWindow()).toBeGreaterThan(LIMIT);
    await api.close();
  });

  it('four clients sharing one token never send more than its limit in a window, and none is refused', async () => {
    api = await startWindowedRateLimitApi({ limit: LIMIT, windowSeconds: 1 });
    const statuses = await sendFrom(['token-a', 'token-a', 'token-a', 'token-a'], 6, true);
    expect(statuses.filter((status) => status === 200)).toHaveLength(24);
    expect([...api.tallies.values()].map((tally) => [tally.requests, tally.overLimit])).toEqual([[24, 0]]);
    expect(api.maxPerWindow()).toBeLessThanOrEqual(LIMIT);
    // 24 requests at 4 a window need at least 6 windows.
    expect([...api.tallies.values()][0]!.perWindow.size).toBeGreaterThanOrEqual(6);
    await api.close();
  }, 120_000);

  it('two tokens: each kept to its own limit, so together they send twice as many per window', async () => {
    api = await startWindowedRateLimitApi({ limit: LIMIT, windowSeconds: 1 });
    const statuses = await sendFrom(['token-b', 'token-b', 'token-c', 'token-c'], 6, true);
    expect(statuses.filter((status) => status === 200)).toHaveLength(24);
    const tallies = [...api.tallies.values()];
    expect(tallies.map((tally) => [tally.requests, tally.overLimit])).toEqual([
      [12, 0],
      [12, 0],
    ]);
    expect(api.maxPerWindow()).toBeLessThanOrEqual(LIMIT);
    const combined = new Map<number, number>();
    for (const tally of tallies)
      for (const [window, count] of tally.perWindow) combined.set(window, (combined.get(window) ?? 0) + count);
    expect(Math.max(...combined.values())).toBeGreaterThan(LIMIT);
    await api.close();
  }, 120_000);

  it('an API that sends no rate-limit headers: the probe’s answer opens an unmetered window, not one request per probe', async () => {
    const server = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pool = new pg.Pool({ connectionString: database.url });
    try {
      const clients = await Promise.all(
        [0, 1].map(async () => {
          const budget = await PostgresCredentialBudget.open(database.url);
          budgets.push(budget);
          return createApiClient({
            baseUrl,
            auth: { type: 'bearer', token: 'no-headers-token' },
            retry: { ...fast, limit: 0 },
            credentialBudget: budget,
          });
        }),
      );
      const row = async () =>
        (
          await pool.query<{ probing: boolean; remaining: string; taken: string }>(
            'SELECT probing, remaining, taken FROM _lake_credential_budgets WHERE credential_key = $1',
            [credentialKey(baseUrl, { authorization: 'Bearer no-headers-token' })],
          )
        ).rows[0];
      await clients[0]!.get('/probe');
      const opened = await row();
      // Held as probing, every other request of the fleet would wait out the 5 s probe deadline.
      expect(opened?.probing).toBe(false);
      await Promise.all(clients.flatMap((client) => Array.from({ length: 10 }, (_, n) => client.get(`/items/${n}`))));
      const after = await row();
      expect(Number(after?.taken)).toBe(21);
      expect(Number(opened?.remaining) - Number(after?.remaining)).toBe(20);
      expect(after?.probing).toBe(false);
    } finally {
      await pool.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('stores a digest of each credential, never the token', async () => {
    const pool = new pg.Pool({ connectionString: database.url });
    const { rows } = await pool.query<{ credential_key: string }>(
      'SELECT credential_key FROM _lake_credential_budgets',
    );
    await pool.end();
    // token-a on the second fake, token-b and token-c on the third, and the header-less API's token.
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.credential_key).toMatch(/^sha256:[0-9a-f]{40}$/);
      expect(row.credential_key).not.toContain('token');
    }
    const key = (origin: string, token: string) => credentialKey(origin, { authorization: `Bearer ${token}` });
    expect(key('http://127.0.0.1:1', 'x')).toBe(key('http://127.0.0.1:1/api', 'x'));
    expect(key('http://127.0.0.1:1', 'x')).not.toBe(key('http://127.0.0.1:1', 'y'));
    expect(key('http://127.0.0.1:1', 'x')).not.toBe(key('http://127.0.0.1:2', 'x'));
  });
});
