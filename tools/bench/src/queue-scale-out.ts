// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
/**
 * `pnpm bench --only queue` (issue 18): `lake worker` processes on a pg-boss queue in
 * PostgreSQL (`LAKE_TEST_PG_URL`'s server, a scratch database), syncing `--queue-scopes` scopes
 * (200) of a fixture connector that reads `--queue-pages` pages (2) per scope, one after another, from a windowed rate-limit fake at
 * `--queue-latency` ms (50) per request.
 *
 * - Latency-bound: 1, 2 and 4 workers (one sync each at a time) with a budget that never binds;
 *   time from the first job's start to the last job's completion (pg-boss's timestamps; the
 *   workers' start-up before it is printed apart), throughput, and the ratio to one worker (goal ≥ 3.5×
 *   at 4). Per-job overhead = one worker's time per job less its requests' latency.
 * - Budget-bound: 4 workers sharing one credential limited to `--queue-rate` requests a second
 *   (10): time next to requests ÷ rate, the physical floor (goal within 10%).
 *
 * Figures are printed, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase } from '@lake/sdk/testing';
import { startWindowedRateLimitApi } from '@lake/testkit/fake-api';
import { addUser, startRegistry } from '@lake-tools/registry-server';
import pg from 'pg';
import { stringify } from 'yaml';
import { fixtureConnector, packPackage } from '../../../packages/runtime/test/support/fixture-packages.ts';

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const lakeCli = join(workspace, 'packages/runtime/dist/cli.js');

export interface QueueRun {
  workers: number;
  scopes: number;
  requests: number;
  /** From the first job's start to the last job's completion (pg-boss's own timestamps). */
  elapsedMs: number;
  /** From spawning the workers to the first job's start: Node, pg-boss and the install check. */
  startupMs: number;
  scopesPerSecond: number;
  /** The whole machine's CPU time (every process: workers, connectors, PostgreSQL, the fake) per job; absent off Linux. */
  cpuMsPerJob?: number;
  /** The part of it spent in this bench's process: the fake API, the registry, the polling; a deployment has none of it. */
  benchCpuMsPerJob?: number;
}

export interface QueueMeasurement {
  latencyMs: number;
  runs: QueueRun[];
  /** Time per job of one worker, less its requests' latency. */
  perJobOverheadMs: number;
  budget: QueueRun & { rate: number; floorMs: number; ratioToFloor: number };
}

interface Setup {
  root: string;
  registryUrl: string;
  registryToken: string;
  environment: NodeJS.ProcessEnv;
}

function lake(setup: Setup, args: string[], environment: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [lakeCli, ...args], {
    cwd: setup.root,
    env: { ...setup.environment, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
  return { child, done };
}

async function mustSucceed(setup: Setup, args: string[]): Promise<void> {
  const { code, output } = await lake(setup, args).done;
  if (code !== 0) throw new Error(`lake ${args.join(' ')} exited ${code}: ${output}`);
}

async function openJobs(url: string): Promise<{ open: number; completed: number; started: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ open: number; completed: number; started: number }>(
      `SELECT count(*) FILTER (WHERE state IN ('created', 'retry', 'active'))::int AS open,
              count(*) FILTER (WHERE started_on IS NOT NULL)::int AS started,
              count(*) FILTER (WHERE state = 'completed')::int AS completed
         FROM pgboss.job WHERE name LIKE 'lake-sync.%'`,
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/** When the first sync job started and the last one completed, in epoch milliseconds. */
async function jobSpan(url: string): Promise<{ firstStart: number; lastEnd: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ first_start: number; last_end: number }>(
      `SELECT (extract(epoch FROM min(started_on)) * 1000)::float8 AS first_start,
              (extract(epoch FROM max(completed_on)) * 1000)::float8 AS last_end
         FROM pgboss.job WHERE name LIKE 'lake-sync.%' AND state = 'completed'`,
    );
    return { firstStart: rows[0]!.first_start, lastEnd: rows[0]!.last_end };
  } finally {
    await client.end();
  }
}

/** CPU time the whole machine spent, in ms, from /proc/stat (Linux); undefined elsewhere. */
async function machineBusyMs(): Promise<number | undefined> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 5) return undefined;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  // USER_HZ is 100 on Linux: each tick is 10 ms.
  return (user + nice + system + irq + softirq + steal) * 10;
}

/** One run: a fresh database, the scopes enqueued, `workers` workers until the queue drains. */
async function runOnce(setup: Setup, options: { workers: number; scopes: number; apiUrl: string }): Promise<QueueRun> {
  const database = await createScratchDatabase('postgres');
  const connections = [0, 1, 2].map((index) => ({
    name: `api-${index}`,
    connector: 'bfix',
    id: index + 1,
    // One token for every connection: the budget-bound run shares it.
    settings: { token: '${BENCH_TOKEN}', url: options.apiUrl },
    scopes: Array.from({ length: options.scopes }, (_, scope) => scope)
      .filter((scope) => scope % 3 === index)
      .map((scope) => ({ id: `s${scope}`, scope: { label: `s${scope}`, count: 0 } })),
  }));
  await writeFile(
    join(setup.root, 'lake.yaml'),
    stringify({
      registry: { url: setup.registryUrl, token: '${BENCH_REGISTRY_TOKEN}' },
      connectors: { bfix: '1.0.0' },
      database: '${BENCH_DATABASE}',
      queue: 'database',
      connections,
    }),
  );
  const environment = { BENCH_DATABASE: database.url };
  Object.assign(setup.environment, environment);
  try {
    await mustSucceed(setup, ['install']);
    await mustSucceed(setup, ['sync']);
    const started = Date.now();
    // The machine's CPU is counted from the first job on, like the elapsed time.
    let busyBefore: number | undefined;
    let benchBefore: NodeJS.CpuUsage | undefined;
    const workers = Array.from({ length: options.workers }, () => lake(setup, ['worker', '--concurrency', '1']));
    for (;;) {
      const { open, completed, started: begun } = await openJobs(database.url);
      if (busyBefore === undefined && begun > 0) {
        busyBefore = await machineBusyMs();
        benchBefore = process.cpuUsage();
      }
      if (open === 0 && completed >= options.scopes) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const busyAfter = await machineBusyMs();
    const benchSpent = benchBefore ? process.cpuUsage(benchBefore) : undefined;
    const { firstStart, lastEnd } = await jobSpan(database.url);
    const elapsedMs = lastEnd - firstStart;
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.done));
    return {
      workers: options.workers,
      scopes: options.scopes,
      requests: 0,
      elapsedMs,
      startupMs: firstStart - started,
      scopesPerSecond: options.scopes / (elapsedMs / 1000),
      ...(busyBefore !== undefined && busyAfter !== undefined
        ? { cpuMsPerJob: (busyAfter - busyBefore) / options.scopes }
        : {}),
      ...(benchSpent ? { benchCpuMsPerJob: (benchSpent.user + benchSpent.system) / 1000 / options.scopes } : {}),
    };
  } finally {
    await database.drop();
  }
}

export async function measureQueue(scopes = 200, latencyMs = 50, rate = 10, pages = 2): Promise<QueueMeasurement> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-bench-queue-'));
  const registry = await startRegistry({ directory: join(directory, 'registry'), port: 0 });
  const itemsPerScope = pages * 10;
  try {
    const { token } = await addUser(registry.url, 'bench', 'bench-password-1');
    const { packAndPublish, publishTarball } = await import('@lake-tools/registry-server');
    const sdk = await packAndPublish(registry.url, token, join(workspace, 'packages/sdk'));
    await publishTarball(
      registry.url,
      token,
      await packPackage(fixtureConnector({ name: 'bfix', version: '1.0.0', sdk: sdk.version, api: true })),
    );
    const setup: Setup = {
      root: await mkdtemp(join(directory, 'project-')),
      registryUrl: registry.url,
      registryToken: token,
      environment: {
        ...process.env,
        BENCH_REGISTRY_TOKEN: token,
        BENCH_TOKEN: 'bench-token',
        LAKE_PREFER_OFFLINE: '1',
      },
    };
    const runs: QueueRun[] = [];
    for (const workers of [1, 2, 4]) {
      // A budget that never binds: 1,000 a second.
      const api = await startWindowedRateLimitApi({
        limit: 1000,
        windowSeconds: 1,
        latencyMs,
        items: () => itemsPerScope,
      });
      const result = await runOnce(setup, { workers, scopes, apiUrl: api.url });
      result.requests = [...api.tallies.values()].reduce((sum, tally) => sum + tally.requests, 0);
      runs.push(result);
      await api.close();
    }
    const api = await startWindowedRateLimitApi({
      limit: rate,
      windowSeconds: 1,
      latencyMs,
      items: () => itemsPerScope,
    });
    const bound = await runOnce(setup, { workers: 4, scopes, apiUrl: api.url });
    bound.requests = [...api.tallies.values()].reduce((sum, tally) => sum + tally.requests, 0);
    await api.close();
    const floorMs = (bound.requests / rate) * 1000;
    const one = runs[0]!;
    return {
      latencyMs,
      runs,
      perJobOverheadMs: one.elapsedMs / one.scopes - (one.requests / one.scopes) * latencyMs,
      budget: { ...bound, rate, floorMs, ratioToFloor: bound.elapsedMs / floorMs },
    };
  } finally {
    await registry.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * What the machine's cores allow: every job costs CPU somewhere (worker, connector,
 * PostgreSQL, the fake API), so no number of workers syncs faster than cores ÷ that.
 */
function cpuCeiling(one: QueueRun, cpuMsPerJob: number): string[] {
  const cores = availableParallelism();
  const bound = (ms: number) => {
    const ceiling = (cores * 1000) / ms;
    return `${cores} cores sync at most ${ceiling.toFixed(1)} scopes/s, ${(ceiling / one.scopesPerSecond).toFixed(2)}× one worker`;
  };
  const lines = [
    `  CPU per job, whole machine, one worker: ${cpuMsPerJob.toFixed(0)} ms; ${bound(cpuMsPerJob)}, whatever the number of workers`,
  ];
  if (one.benchCpuMsPerJob !== undefined) {
    const lake = cpuMsPerJob - one.benchCpuMsPerJob;
    lines.push(
      `    of which this bench's own process (fake API, registry, polling) ${one.benchCpuMsPerJob.toFixed(0)} ms; without it (an API elsewhere) ${lake.toFixed(0)} ms: ${bound(lake)}`,
    );
  }
  return lines;
}

/** The figures side by side. */
export function renderQueue(measurement: QueueMeasurement): string {
  const one = measurement.runs[0]!;
  const lines = [
    `queue (pg-boss on PostgreSQL), ${one.scopes} scopes, ${measurement.latencyMs} ms per request:`,
    ...measurement.runs.map(
      (run) =>
        `  ${run.workers} worker(s): ${(run.elapsedMs / 1000).toFixed(1)} s first job to last (start-up ${(run.startupMs / 1000).toFixed(1)} s before), ${run.scopesPerSecond.toFixed(2)} scopes/s, ${run.requests} requests; ${(run.scopesPerSecond / one.scopesPerSecond).toFixed(2)}× one worker${run.workers === 4 ? ' (goal ≥ 3.5×)' : ''}`,
    ),
    `  per-job overhead (one worker, less request latency): ${measurement.perJobOverheadMs.toFixed(0)} ms`,
    ...(one.cpuMsPerJob === undefined ? [] : cpuCeiling(one, one.cpuMsPerJob)),
    `  one credential at ${measurement.budget.rate}/s, 4 workers: ${(measurement.budget.elapsedMs / 1000).toFixed(1)} s for ${measurement.budget.requests} requests; floor (requests ÷ rate) ${(measurement.budget.floorMs / 1000).toFixed(1)} s; ratio ${measurement.budget.ratioToFloor.toFixed(2)} (goal ≤ 1.10)`,
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [scopes = '200', latency = '50', rate = '10', pages = '2'] = process.argv.slice(2);
  console.log(renderQueue(await measureQueue(Number(scopes), Number(latency), Number(rate), Number(pages))));
}
