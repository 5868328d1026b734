// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureConnector } from './support/fixture-packages.ts';
import type { TestProject } from './support/lake-project.ts';
import {
  installQueueProject,
  openQueueTestBed,
  type QueueTestBed,
  requirePostgresInCi,
} from './support/queue-test-bed.ts';
import { query, startWorker, type WorkerProcess, waitUntil } from './support/queue-workers.ts';

requirePostgresInCi();

const WORKERS = 3;
const firedLines = (worker: WorkerProcess) => worker.stderr().match(/^every-minute: \d+ scope\(s\) enqueued$/gm) ?? [];

describe.skipIf(!process.env.LAKE_TEST_PG_URL)('cron schedules on a queue with several workers', () => {
  let bed: QueueTestBed;
  let project: TestProject;

  beforeAll(async () => {
    bed = await openQueueTestBed((sdk) => [fixtureConnector({ name: 'cfix', version: '1.0.0', sdk, scopedIds: true })]);
    project = await installQueueProject(
      bed,
      {
        connectors: { cfix: '1.0.0' },
        connections: [
          {
            name: 'api',
            connector: 'cfix',
            id: 1,
            settings: { token: '${CFIX_TOKEN}' },
            scopes: ['a', 'b'].map((id) => ({ id, scope: { label: id, count: 3 } })),
          },
        ],
        extra: { schedules: [{ name: 'every-minute', cron: '* * * * *' }] },
      },
      { CFIX_TOKEN: 'cron-fixture-token' },
    );
  }, 240_000);

  afterAll(async () => bed?.close());

  it(`a tick fires once for ${WORKERS} workers, not once per worker, and its scopes are synced once`, async () => {
    const scheduled = await project.lake('schedule');
    expect(scheduled.code, scheduled.stderr).toBe(0);
    const workers: WorkerProcess[] = bed.workers;
    for (let index = 0; index < WORKERS; index += 1) workers.push(startWorker(project, 1));
    // The first tick comes within a minute; each worker looks at the cron every few seconds.
    await waitUntil(async () => workers.some((worker) => firedLines(worker).length > 0), 150_000, 'a cron tick');
    const syncedScopes = async () => {
      const [table] = await query<{ t: string | null }>(
        bed.database.url,
        "SELECT to_regclass('_tool_cfix_items')::text AS t",
      );
      if (!table?.t) return 0;
      const [row] = await query<{ n: number }>(
        bed.database.url,
        'SELECT count(DISTINCT scope)::int AS n FROM _tool_cfix_items',
      );
      return row!.n;
    };
    await waitUntil(async () => (await syncedScopes()) === 2, 120_000, "the tick's scopes to be synced");
    // Long enough for every other worker's cron check to have seen the same tick.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.done));
    const ticks = await query<{ minute: string; jobs: number }>(
      bed.database.url,
      `SELECT to_char(date_trunc('minute', created_on), 'HH24:MI') AS minute, count(*)::int AS jobs
         FROM pgboss.job WHERE name = 'lake-schedule.every-minute' GROUP BY 1 ORDER BY 1`,
    );
    expect(ticks.length).toBeGreaterThan(0);
    // One job per minute's tick, and each fired by exactly one worker.
    expect(ticks.filter((tick) => tick.jobs !== 1)).toEqual([]);
    const fired = workers.flatMap(firedLines);
    expect(fired.length, workers.map((worker) => worker.stderr()).join('\n---\n')).toBe(ticks.length);
    // A scope enqueued by consecutive ticks runs again; never twice at once, and never more than once a tick.
    const runs = await query<{ scope_id: string; runs: number }>(
      bed.database.url,
      "SELECT scope_id, count(*)::int AS runs FROM _lake_runs WHERE connector = 'cfix' GROUP BY scope_id ORDER BY scope_id",
    );
    expect(runs.map((run) => run.scope_id)).toEqual(['a', 'b']);
    for (const run of runs) expect(run.runs).toBeLessThanOrEqual(ticks.length);
  }, 360_000);
});
