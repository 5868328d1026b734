import { describeDatabaseUrl, type Redactor } from '@lake/sdk/host';
import type { PgBoss } from 'pg-boss';
import { RuntimeError } from '../errors.js';
import { readLockfile } from '../install/lockfile.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { ConnectorProcessPool } from '../run/connector-process-pool.js';
import { metricsOfProject } from '../run/metric-process.js';
import { type MetricEvent, projectsWithMetricsOf, runMetricsOfProject } from '../run/run-project-metrics.js';
import { scheduleName } from '../run/schedule.js';
import { type ScopeOutcome, syncProject } from '../run/sync-runner.js';
import { loadWorkingSet } from '../run/working-set.js';
import { redactorFor } from '../secrets/secret-redactor.js';
import { enqueueSyncs } from './enqueue-syncs.js';
import { ensureMetricsQueue, ensureSyncQueue, openQueue, type QueueTimings, queueTimings } from './queue-client.js';
import { resolveQueue } from './queue-url.js';
import { findRefusedJobs, type RefusedQueue } from './refused-jobs.js';
import {
  type ConnectorBuild,
  METRICS_QUEUE,
  type MetricsJob,
  metricsJobSchema,
  type SyncJob,
  scheduleQueueName,
  scopeKey,
  syncJobSchema,
  syncQueueName,
} from './sync-job.js';
import {
  claimJob,
  ensureRegistryTables,
  newWorkerIdentity,
  registerWorker,
  releaseClaim,
  type WorkerIdentity,
} from './worker-registry.js';

export type WorkerEvent =
  | { type: 'worker-start'; worker: string; serving: Array<ConnectorBuild & { queue: string }>; concurrency: number }
  | { type: 'refused'; refused: RefusedQueue }
  | { type: 'job-start'; jobId: string; job: SyncJob; attempt: number }
  | { type: 'job-end'; jobId: string; job: SyncJob; status: ScopeOutcome['status'] | 'released'; error?: string }
  | { type: 'schedule-fired'; schedule: string; enqueued: number }
  | { type: 'metrics-queued'; project: string; jobId: string }
  | MetricEvent
  | { type: 'queue-error'; message: string }
  | { type: 'worker-stop'; worker: string };

export interface WorkerOptions {
  environment: NodeJS.ProcessEnv;
  /** Syncs run at once by this worker. */
  concurrency: number;
  /** Aborted: stop taking jobs, let running syncs stop after their current batch, release their jobs. */
  signal: AbortSignal;
  onEvent?: (event: WorkerEvent) => void;
}

/** What every job handler of one worker shares. */
interface WorkerState {
  paths: ProjectPaths;
  boss: PgBoss;
  identity: WorkerIdentity;
  options: WorkerOptions;
  /** `options.onEvent`, with the queue URL's secrets scrubbed from what the events say. */
  emit: (event: WorkerEvent) => void;
  timings: QueueTimings;
  manifest: Manifest;
  /** The queue's database, where the credential budgets live too. */
  url: string;
  builds: Map<string, ConnectorBuild>;
  slots: Semaphore;
  /** Aborted when the worker stops; each running sync stops after its current batch. */
  stopping: AbortController;
  /** Install directories checked against lake.lock by this worker's first job of each. */
  checkedDirectories: Set<string>;
  /** Long-lived connector processes, each running job after job (closed when the worker stops). */
  pool: ConnectorProcessPool;
}

/** A worker's event with the queue URL's credentials masked in what it says (a driver's message, a sync's error). */
export function scrubWorkerEvent(event: WorkerEvent, scrubber: Redactor): WorkerEvent {
  if (event.type === 'queue-error') return { ...event, message: scrubWorkerText(event.message, scrubber) };
  if (event.type === 'job-end' && event.error !== undefined)
    return { ...event, error: scrubWorkerText(event.error, scrubber) };
  if (event.type === 'metric-end' && event.outcome.error !== undefined)
    return { ...event, outcome: { ...event.outcome, error: scrubWorkerText(event.outcome.error, scrubber) } };
  return event;
}

function scrubWorkerText(text: string, scrubber: Redactor): string {
  return describeDatabaseUrl(scrubber.redact(text));
}

/**
 * `lake worker`: serves the queues of the connector builds installed here (lake.lock's
 * version and integrity), running each job's scope as `lake sync` would, at most
 * `concurrency` at once, until the signal stops it.
 */
export async function runWorker(paths: ProjectPaths, options: WorkerOptions): Promise<void> {
  const manifest = await loadManifest(paths);
  const queue = await resolveQueue(paths, options.environment, manifest);
  if (!queue)
    throw new RuntimeError(
      'USAGE',
      'lake.yaml has no `queue:`; `lake worker` serves a job queue (see `lake worker --help`)',
    );
  const { url } = queue;
  const scrubber = redactorFor(queue.secrets);
  const timings = queueTimings(options.environment);
  const builds = await installedBuilds(paths);
  const emit = (event: WorkerEvent) => options.onEvent?.(scrubWorkerEvent(event, scrubber));
  const boss = await openQueue(url, 'worker', timings, (error) =>
    emit({ type: 'queue-error', message: error.message }),
  ).catch((error: unknown) => {
    if (error instanceof Error) error.message = scrubWorkerText(error.message, scrubber);
    throw error;
  });
  const identity = newWorkerIdentity();
  const state: WorkerState = {
    paths,
    boss,
    identity,
    options,
    emit,
    timings,
    manifest,
    url,
    builds,
    slots: new Semaphore(options.concurrency),
    stopping: new AbortController(),
    checkedDirectories: new Set(),
    pool: new ConnectorProcessPool(),
  };
  await ensureRegistryTables(boss);
  const unregister = await registerWorker(boss, identity, {
    concurrency: options.concurrency,
    serving: [...builds.keys()],
  });
  emit({
    type: 'worker-start',
    worker: identity.id,
    serving: [...builds].map(([queue, build]) => ({ ...build, queue })),
    concurrency: options.concurrency,
  });
  for (const queue of builds.keys()) {
    await ensureSyncQueue(boss, queue, timings);
    await workEagerly(boss, queue, options.concurrency, async ([job]) => (job ? runJob(state, job) : undefined));
  }
  if (Object.keys(manifest.projects).some((project) => metricsOfProject(manifest, project).length > 0)) {
    await ensureMetricsQueue(boss, timings);
    await workEagerly(boss, METRICS_QUEUE, 1, async ([job]) => (job ? runMetricsJob(state, job) : undefined));
  }
  await serveSchedules(state);
  const stopWatching = watchRefusals(state);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  stopWatching();
  state.stopping.abort();
  // Handlers finish (their jobs completed or put back) with the pool still open for the registry.
  await boss.stop({ graceful: true, close: false, timeout: 60_000 });
  await state.pool.close();
  await unregister().catch(() => {});
  await boss.stop({ close: true });
  emit({ type: 'worker-stop', worker: identity.id });
}

/**
 * `concurrency` pg-boss workers on one queue, each fetching one job at a time. pg-boss waits out
 * its polling interval after a job too (0.5 s here, against syncs that can take 0.1 s), so each
 * worker wakes itself when its job ends and looks for the next at once; an empty queue costs one
 * extra fetch, then polling resumes.
 */
async function workEagerly(
  boss: PgBoss,
  queue: string,
  concurrency: number,
  handler: (jobs: PgBossJob[]) => Promise<unknown>,
): Promise<void> {
  for (let index = 0; index < concurrency; index++) {
    let workerId: string | undefined;
    workerId = await boss.work(
      queue,
      { batchSize: 1, localConcurrency: 1, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        try {
          return await handler(jobs);
        } finally {
          if (workerId) boss.notifyWorker(workerId);
        }
      },
    );
  }
}

/** The builds this worker can run: lake.lock's entries whose install matches it, by queue name. */
async function installedBuilds(paths: ProjectPaths): Promise<Map<string, ConnectorBuild>> {
  const [working, lock] = await Promise.all([loadWorkingSet(paths), readLockfile(paths)]);
  const builds = new Map<string, ConnectorBuild>();
  for (const name of working.keys()) {
    const locked = lock?.connectors[name];
    if (!locked) continue;
    const build = { connector: name, version: locked.version, integrity: locked.integrity };
    builds.set(syncQueueName(build), build);
  }
  if (builds.size === 0)
    throw new RuntimeError('NOT_INSTALLED', 'no connector is installed here; run `lake install --frozen`');
  return builds;
}

interface PgBossJob {
  id: string;
  name: string;
  data: unknown;
  retryCount: number;
  signal: AbortSignal;
}

/**
 * One job: its scope synced in the connector's process. A failure throws (pg-boss retries it
 * with backoff, then dead-letters it); a sync stopped by the worker's shutdown puts the scope
 * back in the queue at once and completes this attempt, so no retry is spent on it.
 */
async function runJob(state: WorkerState, job: PgBossJob): Promise<{ status: string }> {
  const parsed = syncJobSchema.safeParse(job.data);
  if (!parsed.success)
    throw new Error(`not a sync job: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  const data = parsed.data;
  const build = state.builds.get(job.name);
  if (!build || build.version !== data.version || build.integrity !== data.integrity) {
    // The queue name is the build's digest, so this is a forged or corrupted job: never run it.
    throw new Error(
      `refusing ${data.connector} ${data.version}: this worker has ${build ? build.version : 'no such build'} installed`,
    );
  }
  const release = await state.slots.acquire();
  const { emit } = state;
  try {
    if (state.stopping.signal.aborted) return await requeue(state, job, data);
    await claimJob(state.boss, state.identity, job.id);
    emit({ type: 'job-start', jobId: job.id, job: data, attempt: job.retryCount + 1 });
    const [outcome] = await syncProject(
      state.paths,
      { connection: data.connection, scopes: [data.scopeId], full: data.full },
      {
        environment: state.options.environment,
        signal: AbortSignal.any([state.stopping.signal, job.signal]),
        concurrency: 1,
        rateLimitUrl: state.url,
        checkedDirectories: state.checkedDirectories,
        pool: state.pool,
      },
    );
    if (!outcome) throw new Error(`scope ${data.scopeId} of ${data.connection} is not in this worker's lake.yaml`);
    if (outcome.status === 'aborted' && state.stopping.signal.aborted) return await requeue(state, job, data);
    emit({
      type: 'job-end',
      jobId: job.id,
      job: data,
      status: outcome.status,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    if (outcome.status === 'failed' || outcome.status === 'aborted') throw new Error(outcome.error ?? outcome.status);
    if (outcome.status === 'succeeded') await enqueueProjectMetrics(state, data);
    return { status: outcome.status };
  } finally {
    await releaseClaim(state.boss, state.identity, job.id).catch(() => {});
    release();
  }
}

/**
 * After a scope synced: a metrics job for each project holding it, after the metrics delay.
 * While one waits, others are not added (`stately`), so the project's scopes that finish in
 * that delay share one run; one that finishes while a run is going queues the next.
 */
async function enqueueProjectMetrics(state: WorkerState, data: SyncJob): Promise<void> {
  for (const project of projectsWithMetricsOf(state.manifest, { connection: data.connection, scopeId: data.scopeId })) {
    const jobId = await state.boss.send(METRICS_QUEUE, { project } satisfies MetricsJob, {
      singletonKey: project,
      startAfter: state.timings.metricsDelaySeconds,
    });
    if (jobId) state.emit({ type: 'metrics-queued', project, jobId });
  }
}

/** A project's metrics, one after another; a failed metric fails the job (pg-boss retries it). */
async function runMetricsJob(state: WorkerState, job: PgBossJob): Promise<{ metrics: number } | undefined> {
  const parsed = metricsJobSchema.safeParse(job.data);
  if (!parsed.success) throw new Error(`not a metrics job: ${parsed.error.message}`);
  const { project } = parsed.data;
  const outcome = state.stopping.signal.aborted
    ? undefined
    : await runMetricsOfProject(state.paths, project, {
        environment: state.options.environment,
        signal: AbortSignal.any([state.stopping.signal, job.signal]),
        onEvent: (event) => state.emit(event),
      });
  const failed = outcome?.metrics.filter((metric) => metric.status !== 'succeeded') ?? [];
  // Shutdown before or during the run: the project's metrics go back in the queue, no retry spent.
  if (state.stopping.signal.aborted && (outcome === undefined || failed.length > 0)) {
    await state.boss.send(METRICS_QUEUE, { project }, { singletonKey: project });
    return undefined;
  }
  if (failed.length > 0)
    throw new Error(failed.map((metric) => `${metric.metric}: ${metric.error ?? metric.status}`).join('; '));
  return { metrics: outcome?.metrics.length ?? 0 };
}

/** Shutdown: the scope goes back in the queue (its saved state is where the next worker resumes). */
async function requeue(state: WorkerState, job: PgBossJob, data: SyncJob): Promise<{ status: string }> {
  await state.boss.send(job.name, data, { singletonKey: scopeKey(data) });
  state.emit({ type: 'job-end', jobId: job.id, job: data, status: 'released' });
  return { status: 'released' };
}

/** Cron ticks of lake.yaml's schedules (`lake schedule` registers them): each enqueues its scopes. */
async function serveSchedules(state: WorkerState): Promise<void> {
  for (const [index, schedule] of state.manifest.schedules.entries()) {
    const name = scheduleName(schedule, index);
    const queue = scheduleQueueName(name);
    if (!(await state.boss.getQueue(queue))) await state.boss.createQueue(queue).catch(() => {});
    await state.boss.work(queue, { batchSize: 1, pollingIntervalSeconds: 1 }, async () => {
      const manifest = await loadManifest(state.paths);
      const enqueued = await enqueueSyncs(
        state.boss,
        state.paths,
        manifest,
        { full: schedule.full, ...(schedule.connections ? { connections: schedule.connections } : {}) },
        state.timings,
      );
      state.emit({
        type: 'schedule-fired',
        schedule: name,
        enqueued: enqueued.filter((job) => job.jobId).length,
      });
    });
  }
}

/** Says (once per queue and count) which waiting jobs this worker will not run, and why. */
function watchRefusals(state: WorkerState): () => void {
  const said = new Map<string, number>();
  const look = async () => {
    for (const refused of await findRefusedJobs(state.boss, state.builds)) {
      if (said.get(refused.queue) === refused.jobs) continue;
      said.set(refused.queue, refused.jobs);
      state.emit({ type: 'refused', refused });
    }
  };
  void look().catch(() => {});
  const timer = setInterval(() => void look().catch(() => {}), 5_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** At most `size` holders at once; the others wait in order. */
class Semaphore {
  #free: number;
  #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }
}
