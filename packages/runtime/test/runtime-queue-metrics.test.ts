// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueStatus } from '../src/queue/queue-status.ts';
import { fixtureConnector, fixtureMetric } from './support/fixture-packages.ts';
import type { TestProject } from './support/lake-project.ts';
import {
  installQueueProject,
  openQueueTestBed,
  type QueueTestBed,
  requirePostgresInCi,
} from './support/queue-test-bed.ts';
import { query, startWorker, waitUntil } from './support/queue-workers.ts';

requirePostgresInCi();

const PROJECTS: Record<string, string[]> = { shop: ['a', 'b', 'c'], lone: ['d'] };

describe.skipIf(!process.env.LAKE_TEST_PG_URL)("workers run the projects' metrics after their scopes", () => {
  let bed: QueueTestBed;
  let project: TestProject;

  beforeAll(async () => {
    bed = await openQueueTestBed((sdk) => [
      fixtureConnector({ name: 'mfix', version: '1.0.0', sdk, scopedIds: true }),
      fixtureMetric({ name: 'echo', version: '1.0.0' }),
      fixtureMetric({ name: 'broken', version: '1.0.0', failRun: 'the broken metric failed on purpose' }),
    ]);
    project = await installQueueProject(
      bed,
      {
        connectors: { mfix: '1.0.0' },
        connections: [
          {
            name: 'api',
            connector: 'mfix',
            id: 1,
            settings: { token: '${MFIX_TOKEN}' },
            // A scope no project holds: its sync queues no metrics.
            scopes: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, scope: { label: id, count: 3, delayMs: 50 } })),
          },
        ],
        extra: {
          metrics: { echo: '1.0.0', broken: '1.0.0' },
          projects: {
            shop: { scopes: PROJECTS.shop!.map((scope) => ({ connection: 'api', scope })), metrics: ['echo'] },
            lone: { scopes: PROJECTS.lone!.map((scope) => ({ connection: 'api', scope })), metrics: ['echo'] },
            quiet: { scopes: [{ connection: 'api', scope: 'a' }], metrics: [] },
            fragile: { scopes: [{ connection: 'api', scope: 'f' }], metrics: ['broken'] },
          },
        },
      },
      {
        MFIX_TOKEN: 'metrics-fixture-token',
        LAKE_QUEUE_METRICS_DELAY_SECONDS: '2',
        // The broken metric's job fails at once, without retries.
        LAKE_QUEUE_RETRY_LIMIT: '0',
      },
    );
  }, 240_000);

  afterAll(async () => bed?.close());

  it("each project's metrics run after its last scope synced, coalesced, and only for projects with metrics", async () => {
    const enqueued = await project.lake('sync');
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const workers = [startWorker(project, 2), startWorker(project, 2)];
    bed.workers.push(...workers);
    const jobs = () =>
      query<{ name: string; state: string; key: string; started: number | null; completed: number | null }>(
        bed.database.url,
        `SELECT name, state::text AS state,
                coalesce(data->>'project', data->>'scopeId') AS key,
                (extract(epoch FROM started_on) * 1000)::float8 AS started,
                (extract(epoch FROM completed_on) * 1000)::float8 AS completed
           FROM pgboss.job WHERE name LIKE 'lake-sync.%' OR name = 'lake-metrics'`,
      );
    const all = await waitUntil(
      async () => {
        const rows = await jobs();
        const syncs = rows.filter((row) => row.name !== 'lake-metrics');
        const metrics = rows.filter((row) => row.name === 'lake-metrics');
        const settled =
          syncs.length === 6 &&
          syncs.every((row) => row.state === 'completed') &&
          metrics.some((row) => row.key === 'fragile' && row.state === 'failed') &&
          metrics.every((row) => row.state === 'completed' || row.key === 'fragile');
        return settled && rows;
      },
      180_000,
      'every sync and metrics job to complete',
    );
    const runs = (await readFile(join(project.paths.root, '.lake/metric-runs.txt'), 'utf8')).trim().split('\n');
    // Only the projects with metrics ran; never once per scope more than their scopes allow.
    expect([...new Set(runs)].sort()).toEqual(['echo lone', 'echo shop']);
    expect(runs.filter((run) => run === 'echo shop').length).toBeLessThanOrEqual(PROJECTS.shop!.length);
    const metricsJobs = all.filter((row) => row.name === 'lake-metrics' && row.key !== 'fragile');
    expect(metricsJobs.length).toBe(runs.length);
    for (const [name, scopes] of Object.entries(PROJECTS)) {
      const lastSync = Math.max(
        ...all.filter((row) => row.name !== 'lake-metrics' && scopes.includes(row.key)).map((row) => row.completed!),
      );
      const lastMetrics = Math.max(...metricsJobs.filter((row) => row.key === name).map((row) => row.started!));
      // The metrics saw every scope of the project: their last run started after its last sync ended.
      expect(lastMetrics, name).toBeGreaterThan(lastSync);
    }
    const said = workers.map((worker) => worker.stderr()).join('\n');
    expect(said).toMatch(/^shop · metric echo: 1 step\(s\)/m);
    expect(said).toMatch(/^lone: metrics queued \(job /m);
    expect(said).not.toMatch(/quiet/);
    expect(said).toMatch(/^fragile · metric broken: failed, exited with code 1: the broken metric failed on purpose/m);
    // `lake status` shows the failed metrics job with its error; the completed ones are gone from it.
    const status = await project.lake('status', '--json');
    const { metrics } = (JSON.parse(status.stdout) as { queue: QueueStatus }).queue;
    expect(metrics.map((row) => [row.project, row.state])).toEqual([['fragile', 'failed']]);
    expect(metrics[0]!.error).toContain('broken: exited with code 1: the broken metric failed on purpose');
    const text = await project.lake('status');
    expect(text.stdout).toMatch(/projects' metrics:\n.*\n.*failed +fragile +1\/1 /);
  }, 300_000);
});
