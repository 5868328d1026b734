// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import type { ScratchDatabase } from '@lake/sdk/testing';
import { seededRandom } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWorkerEvent } from '../src/cli/commands/worker-command.ts';
import { runWorker } from '../src/queue/sync-worker.ts';
import { projectQueueSource } from '../src/ui/project-queue-source.ts';
import { fixtureConnector } from './support/fixture-packages.ts';
import { cloneProject, createProject, type TestProject } from './support/lake-project.ts';
import { openQueueTestBed, type QueueTestBed, requirePostgresInCi } from './support/queue-test-bed.ts';
import { query, queueStatus, startWorker, type WorkerProcess, waitUntil } from './support/queue-workers.ts';

const soak = process.env.LAKE_SOAK === '1';
requirePostgresInCi();

/** CI: 3 workers, 18 scopes, 2 kills. LAKE_SOAK=1 (`pnpm --filter @lake/runtime soak`): 4 workers, 200 scopes, 10 kills. */
const SIZE = soak
  ? { workers: 4, scopes: 200, kills: 10, records: 40, delayMs: 10 }
  : { workers: 3, scopes: 18, kills: 2, records: 20, delayMs: 20 };
const CONNECTIONS = 3;
const TOKEN = 'queue-fixture-token-3b1f';
const SEED = Number(process.env.LAKE_QUEUE_SEED ?? 18);

const queueEnvironment = {
  LAKE_QUEUE_LEASE_SECONDS: '10',
  LAKE_QUEUE_SUPERVISE_SECONDS: '2',
  LAKE_QUEUE_RETRY_DELAY_SECONDS: '1',
  LAKE_QUEUE_RETRY_LIMIT: '3',
};

/** The scopes of connection `index`: every third scope, each with its own record count. */
function scopesOf(index: number) {
  const scopes = [];
  for (let scope = index; scope < SIZE.scopes; scope += CONNECTIONS) {
    scopes.push({
      id: `s${scope}`,
      scope: { label: `s${scope}`, count: SIZE.records + (scope % 7), delayMs: SIZE.delayMs },
    });
  }
  return scopes;
}

const expectedRows = () =>
  Array.from({ length: SIZE.scopes }, (_, scope) => ({ scope: `s${scope}`, rows: SIZE.records + (scope % 7) }));

describe.skipIf(!process.env.LAKE_TEST_PG_URL)('lake worker on a pg-boss queue in PostgreSQL', () => {
  let bed: QueueTestBed;
  let database: ScratchDatabase;
  let project: TestProject;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    bed = await openQueueTestBed(
      (sdk) => [
        fixtureConnector({ name: 'qfix', version: '1.0.0', sdk, scopedIds: true }),
        fixtureConnector({ name: 'qfix', version: '1.1.0', sdk, scopedIds: true }),
      ],
      workers,
    );
    database = bed.database;
    project = await createProject({
      registryUrl: bed.registry.url,
      token: bed.registry.token,
      connectors: { qfix: '1.0.0' },
      connections: [
        ...Array.from({ length: CONNECTIONS }, (_, index) => ({
          name: `api-${index}`,
          connector: 'qfix',
          id: index + 1,
          settings: { token: '${QFIX_TOKEN}' },
          scopes: scopesOf(index),
        })),
        {
          name: 'slow',
          connector: 'qfix',
          id: 8,
          settings: { token: '${QFIX_TOKEN}' },
          scopes: [{ id: 'slow', scope: { label: 'slow', count: 400, delayMs: 25 } }],
        },
        {
          name: 'broken',
          connector: 'qfix',
          id: 9,
          settings: { token: '${QFIX_MISSING_TOKEN}' },
          scopes: [{ id: 'never', scope: { label: 'never', count: 1 } }],
        },
      ],
      extra: {
        database: '${LAKE_QUEUE_DATABASE}',
        queue: 'database',
        schedules: [{ name: 'nightly', cron: '0 3 * * *', connections: ['api-0'] }],
      },
    });
    Object.assign(project.environment, queueEnvironment, { QFIX_TOKEN: TOKEN, LAKE_QUEUE_DATABASE: database.url });
    const installed = await project.lake('install');
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
  }, 240_000);

  afterAll(async () => bed?.close());

  it('lake sync enqueues one job per scope, once however often it is run', async () => {
    const first = await project.lake('sync', '--json');
    expect(first.code, first.stderr).toBe(0);
    const { enqueued } = JSON.parse(first.stdout) as {
      enqueued: Array<{ scopeId: string; jobId?: string; version: string }>;
    };
    // Every scope of lake.yaml, the broken connection's too, each with a job and the lock's version.
    expect(enqueued).toHaveLength(SIZE.scopes + 2);
    expect(enqueued.filter((scope) => scope.jobId)).toHaveLength(SIZE.scopes + 2);
    expect(new Set(enqueued.map((scope) => scope.version))).toEqual(new Set(['1.0.0']));
    const again = await project.lake('sync');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`0 scope(s) enqueued for \`lake worker\`; ${SIZE.scopes + 2} already waiting`);
    const status = await queueStatus(project);
    expect(status.counts.queued).toBe(SIZE.scopes + 2);
    expect(status.workers).toEqual([]);
    // `lake schedule` with a queue stores the schedule in pg-boss (fired there once per tick) and exits.
    const scheduled = await project.lake('schedule', '--json');
    expect(scheduled.code, scheduled.stderr).toBe(0);
    expect(JSON.parse(scheduled.stdout)).toMatchObject({
      type: 'registered',
      schedules: [{ schedule: 'nightly', cron: '0 3 * * *' }],
    });
    expect(await query(database.url, 'SELECT name, cron FROM pgboss.schedule')).toEqual([
      { name: 'lake-schedule.nightly', cron: '0 3 * * *' },
    ]);
    // Nothing ran: the queue holds them until a worker comes.
    expect(await query(database.url, "SELECT to_regclass('_tool_qfix_items') AS t")).toEqual([{ t: null }]);
  });

  it(
    `${SIZE.workers} workers sync every scope while ${SIZE.kills} of them are killed with SIGKILL; none lost, none run twice at once`,
    async () => {
      const random = seededRandom(SEED);
      for (let index = 0; index < SIZE.workers; index += 1) workers.push(startWorker(project, 2));
      for (let kill = 0; kill < SIZE.kills; kill += 1) {
        // Wait for a live worker that holds a job, then kill it mid-sync.
        const alive = (pid: number) => workers.some((worker) => worker.child.pid === pid && running(worker));
        const busy = await waitUntil(
          async () => {
            const current = (await queueStatus(project)).workers.filter(
              (worker) => worker.jobs > 0 && alive(worker.pid),
            );
            return current.length > 0 ? current : undefined;
          },
          120_000,
          'a worker holding a job',
        );
        const victim = busy[Math.floor(random() * busy.length)]!;
        const process = workers.find((worker) => worker.child.pid === victim.pid && running(worker));
        expect(process, `worker pid ${victim.pid} is one of ours`).toBeDefined();
        process!.child.kill('SIGKILL');
        await process!.done;
        workers.push(startWorker(project, 2));
      }
      const final = await waitUntil(
        async () => {
          const current = await queueStatus(project);
          const open = current.counts.queued + current.counts.retry + current.counts.running;
          return open === 0 ? current : undefined;
        },
        soak ? 1_800_000 : 240_000,
        'the queue to drain',
      );
      // The broken connection's scope failed every try and went to the dead letter queue.
      const failed = final.jobs.filter((job) => job.state === 'failed');
      expect(failed.map((job) => job.job.scopeId)).toEqual(['never']);
      expect(failed[0]!.deadLettered).toBe(true);
      expect(failed[0]!.retries).toBe(3);
      expect(failed[0]!.error).toContain('QFIX_MISSING_TOKEN');

      // Every scope's rows, exactly: as many as its scope asked for, each once.
      const rows = await query<{ scope: string; rows: number }>(
        database.url,
        'SELECT scope, count(*)::int AS rows FROM _tool_qfix_items GROUP BY scope',
      );
      expect(rows.sort((a, b) => a.scope.localeCompare(b.scope))).toEqual(
        [...expectedRows(), { scope: 'slow', rows: 400 }].sort((a, b) => a.scope.localeCompare(b.scope)),
      );
      await expectNoOverlappingRuns(database.url);
      const runs = await query<{ scope_id: string; succeeded: number }>(
        database.url,
        "SELECT scope_id, count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded FROM _lake_runs WHERE connector = 'qfix' AND scope_id NOT IN ('never', 'slow') GROUP BY scope_id",
      );
      expect(runs).toHaveLength(SIZE.scopes);
      // Each scope succeeded at least once; only a scope whose worker was killed right after it
      // finished may have succeeded twice (its job was retried), at most two per kill.
      expect(runs.filter((run) => run.succeeded < 1)).toEqual([]);
      const extra = runs.reduce((sum, run) => sum + run.succeeded - 1, 0);
      expect(extra).toBeLessThanOrEqual(2 * SIZE.kills);
      // Secrets stay out of what the workers say.
      for (const worker of workers) expect(worker.stderr()).not.toContain(TOKEN);
    },
    soak ? 2_400_000 : 360_000,
  );

  it('SIGTERM stops idle workers with exit 0; a worker with another lake.lock refuses the jobs it cannot run', async () => {
    const live = workers.filter(running);
    expect(live).toHaveLength(SIZE.workers);
    for (const worker of live) worker.child.kill('SIGTERM');
    expect((await Promise.all(live.map((worker) => worker.done))).map((end) => end.code)).toEqual(live.map(() => 0));
    const stoppedPids = live.map((worker) => worker.child.pid);
    // Killed workers stay listed until their heartbeat is 30 s old; the last may be younger.
    const killedPids = workers.filter((worker) => !live.includes(worker)).map((worker) => worker.child.pid);
    workers.length = 0;

    // A checkout whose lake.lock pins 1.1.0.
    const other = await cloneProject(project);
    Object.assign(other.environment, queueEnvironment, { QFIX_TOKEN: TOKEN, LAKE_QUEUE_DATABASE: database.url });
    const pinned = await other.lake('add', 'qfix@1.1.0');
    expect(pinned.code, pinned.stdout + pinned.stderr).toBe(0);

    const enqueued = await project.lake('sync', 'api-0', '--scope', 's0');
    expect(enqueued.code, enqueued.stderr).toBe(0);
    // This worker runs in the test's own process (runWorker, as `lake worker` calls it).
    const stopStranger = new AbortController();
    let strangerSaid = '';
    const strangerDone = runWorker(other.paths, {
      environment: other.environment,
      concurrency: 1,
      signal: stopStranger.signal,
      onEvent: (event) => {
        strangerSaid += `${describeWorkerEvent(event)}\n`;
      },
    });
    const stranger = { stderr: () => strangerSaid, child: { pid: process.pid } };
    await waitUntil(
      async () =>
        stranger.stderr().includes("refusing 1 queued job(s) for qfix 1.0.0: this worker's lake.lock has 1.1.0"),
      60_000,
      'the refusal',
    );
    const waiting = await queueStatus(project);
    expect(waiting.jobs.filter((job) => job.state === 'queued').map((job) => job.job.scopeId)).toEqual(['s0']);
    // The stranger is there; the workers that stopped cleanly are not (killed ones age out).
    const listed = waiting.workers.map((worker) => worker.pid);
    expect(listed).toContain(stranger.child.pid);
    expect(listed.filter((pid) => stoppedPids.includes(pid))).toEqual([]);

    // The 1.1.0 worker runs what its own checkout enqueues.
    const own = await other.lake('sync', 'api-1', '--scope', 's1');
    expect(own.code, own.stderr).toBe(0);
    await waitUntil(
      async () =>
        (
          await query<{ n: number }>(
            database.url,
            "SELECT count(*)::int AS n FROM _tool_qfix_items WHERE scope = 's1' AND connector_version = '1.1.0'",
          )
        )[0]!.n > 0,
      120_000,
      'the 1.1.0 worker to sync s1',
    );
    const still = await queueStatus(project);
    expect(still.jobs.filter((job) => job.state === 'queued').map((job) => job.job.scopeId)).toEqual(['s0']);
    stopStranger.abort();
    await strangerDone;
    expect(strangerSaid).toMatch(/api-1 · s1: succeeded/);
    expect(strangerSaid).toMatch(/stopped\n$/);
    // The text `lake status` prints: the queued s0 and its build, and no live worker left.
    const text = await project.lake('status');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/queue: 1 queued, 0 waiting to retry, 0 running, \d+ completed, 1 failed/);
    expect(text.stdout).toMatch(/queued +api-0 +s0 +qfix 1\.0\.0/);
    expect(text.stdout).toMatch(/failed \(dead letter\) +broken +never/);
    // The console's jobs panel reads the same queue: the queued s0 and the dead-lettered broken scope.
    const panelSource = projectQueueSource(project.paths, project.environment);
    try {
      const panel = await panelSource.status();
      if (!panel.configured) throw new Error(`the console saw no queue: ${panel.message}`);
      expect(panel.jobs.filter((job) => job.state === 'queued').map((job) => job.name)).toEqual(['api-0 · s0']);
      expect(panel.jobs.filter((job) => job.state === 'failed').map((job) => job.name)).toEqual(['broken · never']);
      expect(panel.jobs.find((job) => job.state === 'failed')?.error).toMatch(/\S/);
      // No live worker: the ones that stopped (SIGTERM, the stranger) unregistered at once.
      const pidOf = (id: string) => Number(id.split(':').at(-2));
      expect(panel.workers.filter((worker) => !killedPids.includes(pidOf(worker.id)))).toEqual([]);
    } finally {
      await panelSource.close();
    }
  }, 300_000);

  it('SIGTERM mid-sync: the worker stops after the current batch, puts the scope back in the queue and exits 0', async () => {
    const enqueued = await project.lake('sync', 'slow', '--full');
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const worker = startWorker(project, 1);
    workers.push(worker);
    // s0 (still queued for 1.0.0) and slow: wait until slow is the one running.
    await waitUntil(async () => worker.stderr().includes('slow · slow: started'), 120_000, 'the slow scope to start');
    const before = await queueStatus(project);
    const running = before.jobs.find((job) => job.job.scopeId === 'slow' && job.state === 'running');
    expect(running?.worker).toMatch(new RegExp(`:${worker.child.pid}:`));
    worker.child.kill('SIGTERM');
    expect((await worker.done).code).toBe(0);
    expect(worker.stderr()).toContain('slow · slow: released');
    const after = await queueStatus(project);
    const slow = after.jobs.filter((job) => job.job.scopeId === 'slow');
    // A fresh job waits for the next worker; the stopped attempt spent no retry.
    expect(slow.map((job) => [job.state, job.retries])).toEqual([['queued', 0]]);
    expect(slow[0]!.id).not.toBe(running!.id);
    const runs = await query<{ status: string }>(
      database.url,
      "SELECT status FROM _lake_runs WHERE scope_id = 'slow' AND full_sync ORDER BY started_at DESC LIMIT 1",
    );
    expect(runs.map((run) => run.status)).not.toEqual(['succeeded']);
    expect(runs).toHaveLength(1);
  }, 240_000);
});

const running = (worker: WorkerProcess) => worker.child.exitCode === null && worker.child.signalCode === null;

/** No two runs of one scope's stream overlap in time: one sync of a scope at a time. */
async function expectNoOverlappingRuns(url: string): Promise<void> {
  const overlaps = await query(
    url,
    `SELECT a.scope_id FROM _lake_runs a JOIN _lake_runs b
        ON a.connector = b.connector AND a.connection_id = b.connection_id AND a.scope_id = b.scope_id
       AND a.stream = b.stream AND a.id < b.id
     WHERE a.started_at < coalesce(b.finished_at, now()) AND b.started_at < coalesce(a.finished_at, now())`,
  );
  expect(overlaps).toEqual([]);
}
