// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWindowedRateLimitApi,
  type WindowedRateLimitApi,
} from '../../testkit/src/fake-api/windowed-rate-limit-api.ts';
import { fixtureConnector } from './support/fixture-packages.ts';
import type { TestProject } from './support/lake-project.ts';
import {
  installQueueProject,
  openQueueTestBed,
  type QueueTestBed,
  requirePostgresInCi,
} from './support/queue-test-bed.ts';
import { query, queueStatus, startWorker, waitUntil } from './support/queue-workers.ts';

requirePostgresInCi();

const LIMIT = 5;
const SCOPES = 12;
/** Items of scope n: 25 + n, 3 or 4 pages of 10. */
const itemsOf = (scope: string) => 25 + Number(scope.slice(1));

describe.skipIf(!process.env.LAKE_TEST_PG_URL)('workers sharing a credential keep to its rate limit', () => {
  let bed: QueueTestBed;
  let project: TestProject;
  let api: WindowedRateLimitApi;

  beforeAll(async () => {
    api = await startWindowedRateLimitApi({ limit: LIMIT, windowSeconds: 1, items: itemsOf, latencyMs: 20 });
    bed = await openQueueTestBed((sdk) => [fixtureConnector({ name: 'rfix', version: '1.0.0', sdk, api: true })]);
    // Connections 0 and 1 share token A; connection 2 has token B.
    const connections = [0, 1, 2].map((index) => ({
      name: `api-${index}`,
      connector: 'rfix',
      id: index + 1,
      settings: { token: index < 2 ? '${TOKEN_A}' : '${TOKEN_B}', url: api.url },
      scopes: Array.from({ length: SCOPES / 3 }, (_, n) => n * 3 + index).map((scope) => ({
        id: `s${scope}`,
        scope: { label: `s${scope}`, count: 0 },
      })),
    }));
    project = await installQueueProject(
      bed,
      { connectors: { rfix: '1.0.0' }, connections },
      {
        TOKEN_A: 'token-a-5f1c',
        TOKEN_B: 'token-b-9e2d',
        LAKE_QUEUE_LEASE_SECONDS: '10',
        LAKE_QUEUE_SUPERVISE_SECONDS: '2',
      },
    );
  }, 240_000);

  afterAll(async () => {
    await bed?.close();
    await api?.close();
  });

  it('three workers, two tokens: no window of either token sees more than its limit, and every page is read', async () => {
    const enqueued = await project.lake('sync');
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const workers = bed.workers;
    for (let index = 0; index < 3; index += 1) workers.push(startWorker(project, 2));
    await waitUntil(
      async () => {
        const status = await queueStatus(project);
        return status.counts.completed === SCOPES && status.counts.queued + status.counts.running === 0;
      },
      240_000,
      'every scope to sync',
    );
    const tallies = [...api.tallies.values()];
    // A page per 10 items: token A's 8 scopes 28 pages, token B's 4 scopes 14. None refused,
    // none over the limit in any window.
    const pages = (scopes: number[]) => scopes.reduce((sum, n) => sum + Math.ceil(itemsOf(`s${n}`) / 10), 0);
    expect([pages([0, 1, 3, 4, 6, 7, 9, 10]), pages([2, 5, 8, 11])]).toEqual([28, 14]);
    expect(tallies.map((tally) => tally.requests).sort((a, b) => a - b)).toEqual([14, 28]);
    expect(tallies.map((tally) => tally.overLimit)).toEqual([0, 0]);
    expect(api.maxPerWindow()).toBeLessThanOrEqual(LIMIT);
    const rows = await query<{ scope: string; rows: number }>(
      bed.database.url,
      'SELECT scope, count(*)::int AS rows FROM _tool_rfix_items GROUP BY scope',
    );
    expect(Object.fromEntries(rows.map((row) => [row.scope, row.rows]))).toEqual(
      Object.fromEntries(Array.from({ length: SCOPES }, (_, n) => [`s${n}`, itemsOf(`s${n}`)])),
    );
    // The budgets are keyed by a digest of each token; the tokens are nowhere in the table.
    const keys = await query<{ credential_key: string }>(
      bed.database.url,
      'SELECT credential_key FROM _lake_credential_budgets',
    );
    expect(keys).toHaveLength(2);
    expect(JSON.stringify(keys)).not.toMatch(/token-[ab]/);
    for (const worker of workers) expect(worker.stderr()).not.toMatch(/token-[ab]-/);
  }, 300_000);
});
