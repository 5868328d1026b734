import { PgBoss } from 'pg-boss';
import { DEAD_LETTER_QUEUE, METRICS_QUEUE } from './sync-job.js';

/** How a queue client takes part: a worker supervises leases and fires cron; the others only send and read. */
export type QueueRole = 'client' | 'worker';

/** How long a worker may go without a heartbeat before its job is given to another worker (pg-boss's minimum is 10). */
export const DEFAULT_LEASE_SECONDS = 30;
/** A sync may run this long before pg-boss takes it back whatever its heartbeats say. */
const EXPIRE_SECONDS = 4 * 60 * 60;

export interface QueueTimings {
  /** Heartbeat lease (s): `LAKE_QUEUE_LEASE_SECONDS`, default 30, at least 10. */
  leaseSeconds: number;
  /** First retry delay (s), doubling each retry: `LAKE_QUEUE_RETRY_DELAY_SECONDS`, default 10. */
  retryDelaySeconds: number;
  /** Tries after the first: `LAKE_QUEUE_RETRY_LIMIT`, default 4. */
  retryLimit: number;
  /** How often a worker's supervisor looks for lapsed leases (s): `LAKE_QUEUE_SUPERVISE_SECONDS`, default 10. */
  superviseSeconds: number;
  /**
   * How long a project's metrics wait after one of its scopes synced (s), so that the scopes
   * synced together are computed in one run: `LAKE_QUEUE_METRICS_DELAY_SECONDS`, default 30.
   */
  metricsDelaySeconds: number;
}

/** The queue's timings from the environment, each checked and named when wrong. */
export function queueTimings(environment: NodeJS.ProcessEnv): QueueTimings {
  const read = (name: string, fallback: number, minimum: number) => {
    const text = environment[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(`${name} must be a whole number of at least ${minimum} (got "${text}")`);
    }
    return value;
  };
  return {
    leaseSeconds: read('LAKE_QUEUE_LEASE_SECONDS', DEFAULT_LEASE_SECONDS, 10),
    retryDelaySeconds: read('LAKE_QUEUE_RETRY_DELAY_SECONDS', 10, 1),
    retryLimit: read('LAKE_QUEUE_RETRY_LIMIT', 4, 0),
    superviseSeconds: read('LAKE_QUEUE_SUPERVISE_SECONDS', 10, 1),
    metricsDelaySeconds: read('LAKE_QUEUE_METRICS_DELAY_SECONDS', 30, 0),
  };
}

/** A started pg-boss on the queue's database; its errors go to `onError` (never with the URL). */
export async function openQueue(
  url: string,
  role: QueueRole,
  timings: QueueTimings,
  onError: (error: Error) => void = () => {},
): Promise<PgBoss> {
  const worker = role === 'worker';
  const boss = new PgBoss({
    connectionString: url,
    application_name: `lake-${role}`,
    max: worker ? 6 : 2,
    supervise: worker,
    schedule: worker,
    superviseIntervalSeconds: timings.superviseSeconds,
    monitorIntervalSeconds: timings.superviseSeconds,
    cronMonitorIntervalSeconds: 5,
    cronWorkerIntervalSeconds: 1,
  });
  boss.on('error', onError);
  await boss.start();
  return boss;
}

/** The queue of one connector build, created on first use with its retry, lease and dead-letter rules. */
export async function ensureSyncQueue(boss: PgBoss, name: string, timings: QueueTimings): Promise<void> {
  await ensureStatelyQueue(boss, name, timings);
}

/** The projects' metrics queue, created on first use: one job waiting and one running per project. */
export async function ensureMetricsQueue(boss: PgBoss, timings: QueueTimings): Promise<void> {
  await ensureStatelyQueue(boss, METRICS_QUEUE, timings);
}

/** One job waiting and one running per singleton key, retried with backoff, then dead-lettered. */
async function ensureStatelyQueue(boss: PgBoss, name: string, timings: QueueTimings): Promise<void> {
  if (await boss.getQueue(name)) return;
  if (!(await boss.getQueue(DEAD_LETTER_QUEUE))) await createQuietly(boss, DEAD_LETTER_QUEUE, {});
  await createQuietly(boss, name, {
    policy: 'stately',
    retryLimit: timings.retryLimit,
    retryDelay: timings.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: 600,
    expireInSeconds: EXPIRE_SECONDS,
    heartbeatSeconds: timings.leaseSeconds,
    deadLetter: DEAD_LETTER_QUEUE,
  });
}

/** Two enqueuers creating the same queue at once: the second one's failure is no failure. */
async function createQuietly(boss: PgBoss, name: string, options: Parameters<PgBoss['createQueue']>[1]) {
  try {
    await boss.createQueue(name, options);
  } catch (error) {
    if (!(await boss.getQueue(name))) throw error;
  }
}
