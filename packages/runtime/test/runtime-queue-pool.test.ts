// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '@lake/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWorkerEvent } from '../src/cli/commands/worker-command.ts';
import { runWorker } from '../src/queue/sync-worker.ts';
import { fixtureConnector } from './support/fixture-packages.ts';
import { createProject, type TestProject } from './support/lake-project.ts';
import { query, queueStatus, waitUntil } from './support/queue-workers.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;

const queueEnvironment = {
  LAKE_QUEUE_LEASE_SECONDS: '10',
  LAKE_QUEUE_SUPERVISE_SECONDS: '2',
  LAKE_QUEUE_RETRY_DELAY_SECONDS: '1',
  LAKE_QUEUE_RETRY_LIMIT: '3',
};

/** `label pid` lines the fixture connectors append, one per sync they start. */
async function pidsOf(file: string): Promise<Array<{ label: string; pid: number }>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [label, pid] = line.split(' ');
      return { label: label!, pid: Number(pid) };
    });
}

describe.skipIf(!process.env.LAKE_TEST_PG_URL)('lake worker keeps long-lived connector processes', () => {
  let registry: TestRegistry;
  let database: ScratchDatabase;
  let project: TestProject;
  let directory: string;
  const stop = new AbortController();
  let said = '';
  let worker: Promise<void> | undefined;
  const pidFile = (connection: string) => join(directory, `${connection}.pids`);
  /** The same scopes for a connector that serves and one that cannot: the same rows either way. */
  const scopes = (connection: string) =>
    [3, 5, 8, 13].map((count, index) => ({
      id: `s${index}`,
      scope: { label: `s${index}`, count, pidFile: pidFile(connection) },
    }));

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-pool-'));
    registry = await startTestRegistry();
    const { version: sdk } = await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'));
    await registry.publish(fixtureConnector({ name: 'pfix', version: '1.0.0', sdk, scopedIds: true }));
    await registry.publish(fixtureConnector({ name: 'ofix', version: '1.0.0', sdk, scopedIds: true, serve: false }));
    database = await createScratchDatabase('postgres');
    const connection = (name: string, connector: string, id: number, list: unknown[]) => ({
      name,
      connector,
      id,
      settings: { token: '${FIX_TOKEN}' },
      scopes: list,
    });
    project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { pfix: '1.0.0', ofix: '1.0.0' },
      connections: [
        connection('served', 'pfix', 1, scopes('served')),
        connection('old', 'ofix', 2, scopes('old')),
        connection('victim', 'pfix', 3, [
          { id: 'victim', scope: { label: 'victim', count: 100, delayMs: 50, pidFile: pidFile('victim') } },
        ]),
      ],
      extra: { database: '${LAKE_QUEUE_DATABASE}', queue: 'database' },
    });
    Object.assign(project.environment, queueEnvironment, {
      FIX_TOKEN: 'pool-fixture-token-77aa',
      LAKE_QUEUE_DATABASE: database.url,
    });
    const installed = await project.lake('install');
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    // One worker, one job at a time, in the test's own process (runWorker, as `lake worker` calls it).
    worker = runWorker(project.paths, {
      environment: project.environment,
      concurrency: 1,
      signal: stop.signal,
      onEvent: (event) => {
        said += `${describeWorkerEvent(event)}\n`;
      },
    });
  }, 240_000);

  afterAll(async () => {
    stop.abort();
    await worker?.catch(() => {});
    await database?.drop();
    await registry?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  const settled = async () => {
    const status = await queueStatus(project);
    return status.counts.queued + status.counts.retry + status.counts.running === 0;
  };

  /** The pids the runtime's scope logs of a connection name as the serving process. */
  async function loggedPids(connection: string): Promise<number[]> {
    const files = (await readdir(project.paths.logs)).filter((file) => file.includes(`-${connection}-`));
    const texts = await Promise.all(files.map((file) => readFile(join(project.paths.logs, file), 'utf8')));
    return texts.flatMap((text) => [...text.matchAll(/# served by connector process (\d+)/g)].map((m) => Number(m[1])));
  }

  /** What the worker said and its scope logs wrote, for a failure's message. */
  async function explain(error: unknown): Promise<never> {
    const files = await readdir(project.paths.logs).catch(() => [] as string[]);
    const logs = await Promise.all(
      files.map(async (file) => `--- ${file}\n${await readFile(join(project.paths.logs, file), 'utf8')}`),
    );
    throw new Error(`${(error as Error).message}\nworker:\n${said}\n${logs.join('\n').slice(-6000)}`);
  }

  it('runs every job of a serving connector in one process, with the rows a process per job writes', async () => {
    for (const name of ['served', 'old']) {
      const enqueued = await project.lake('sync', name);
      expect(enqueued.code, enqueued.stderr).toBe(0);
    }
    const done = async () =>
      (await pidsOf(pidFile('served'))).length === 4 && (await pidsOf(pidFile('old'))).length === 4 && settled();
    await waitUntil(done, 120_000, 'the 8 jobs').catch(explain);
    const rows = (table: string) =>
      query<{ scope: string; id: string; library: string; connector_version: string }>(
        database.url,
        `SELECT scope, id::text, library, connector_version FROM ${table} ORDER BY scope, id`,
      );
    const served = await rows('_tool_pfix_items');
    expect(served).toHaveLength(3 + 5 + 8 + 13);
    expect(served).toEqual(await rows('_tool_ofix_items'));
    const runs = await query<{ connector: string; status: string; n: number }>(
      database.url,
      "SELECT connector, status, count(*)::int AS n FROM _lake_runs WHERE connector IN ('pfix', 'ofix') AND stream = 'items' GROUP BY 1, 2 ORDER BY 1, 2",
    );
    expect(runs).toEqual([
      { connector: 'ofix', status: 'succeeded', n: 4 },
      { connector: 'pfix', status: 'succeeded', n: 4 },
    ]);
    // Four jobs of pfix in one process (as the connector saw it and as the scope logs say);
    // the connector that cannot serve ran in a process per job.
    const servedPids = new Set((await pidsOf(pidFile('served'))).map((entry) => entry.pid));
    expect(servedPids.size).toBe(1);
    expect(new Set(await loggedPids('served'))).toEqual(servedPids);
    expect(new Set((await pidsOf(pidFile('old'))).map((entry) => entry.pid)).size).toBe(4);
    expect(await loggedPids('old')).toEqual([]);
    expect(said).not.toMatch(/failed/);
  }, 180_000);

  it('a serving process killed mid-job fails that job; its retry gets a fresh process', async () => {
    const [served] = await pidsOf(pidFile('served'));
    const enqueued = await project.lake('sync', 'victim');
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const [first] = await waitUntil(
      async () => pidsOf(pidFile('victim')).then((pids) => pids.length > 0 && pids),
      60_000,
      'the victim to start',
    ).catch(explain);
    // The idle process of the first test took the job.
    expect(first!.pid).toBe(served!.pid);
    process.kill(first!.pid, 'SIGKILL');
    await waitUntil(
      async () => (await pidsOf(pidFile('victim'))).length === 2 && settled(),
      120_000,
      'the retry',
    ).catch(explain);
    const [, second] = await pidsOf(pidFile('victim'));
    expect(second!.pid).not.toBe(first!.pid);
    const runs = await query<{ stream: string; status: string; error: string | null }>(
      database.url,
      "SELECT stream, status, error FROM _lake_runs WHERE scope_id = 'victim' ORDER BY started_at",
    );
    // The runtime recorded the death as a per-job process's death is recorded; the killed
    // stream run is not left running; the retry succeeded.
    expect(runs.filter((run) => run.stream === '*')).toEqual([
      {
        stream: '*',
        status: 'failed',
        error: expect.stringMatching(/the connector process exited with code 128 before reporting a result/),
      },
    ]);
    expect(runs.filter((run) => run.status === 'running')).toEqual([]);
    expect(runs.filter((run) => run.stream === 'items' && run.status === 'succeeded')).toHaveLength(1);
    const [{ n }] = (await query<{ n: number }>(
      database.url,
      "SELECT count(*)::int AS n FROM _tool_pfix_items WHERE scope = 'victim'",
    )) as [{ n: number }];
    expect(n).toBe(100);
    expect(said).toMatch(/victim.*failed/);
  }, 180_000);
});
