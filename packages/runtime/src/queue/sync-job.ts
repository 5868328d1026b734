import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Every sync queue's name starts so; the rest names the connector and the locked build it needs. */
export const SYNC_QUEUE_PREFIX = 'lake-sync.';
/** Where a job lands with its last error once its retries are spent. */
export const DEAD_LETTER_QUEUE = 'lake-sync-dead';
/**
 * A project's metrics, run by a worker after the project's scopes synced: one job per project
 * waiting and one running (`stately`, keyed by the project), so scopes synced together are
 * computed in one run, and the last scope's sync is always followed by one.
 */
export const METRICS_QUEUE = 'lake-metrics';
export const metricsJobSchema = z.strictObject({ project: z.string().min(1) });
export type MetricsJob = z.output<typeof metricsJobSchema>;
/** Cron schedules' jobs: one queue per schedule, named so. */
export const SCHEDULE_QUEUE_PREFIX = 'lake-schedule.';

/**
 * One (connection, scope) to sync, as `lake sync` enqueues it. It carries the connector's
 * version and integrity from the enqueuer's lake.lock: a worker runs it only with exactly
 * that build installed.
 */
export const syncJobSchema = z.strictObject({
  connection: z.string().min(1),
  connector: z.string().min(1),
  connectionId: z.number().int().positive(),
  scopeId: z.string().min(1),
  full: z.boolean(),
  version: z.string().min(1),
  integrity: z.string().min(1),
});

export type SyncJob = z.output<typeof syncJobSchema>;

/** The connector build a job needs (and a worker serves). */
export interface ConnectorBuild {
  connector: string;
  version: string;
  integrity: string;
}

/**
 * The queue of one connector build: `lake-sync.git.3f2a…`. Jobs wait in their build's queue,
 * so a worker without that build never fetches them (a mixed fleet during an upgrade runs
 * each job only where its code is installed).
 */
export function syncQueueName(build: ConnectorBuild): string {
  const digest = createHash('sha256').update(`${build.connector}@${build.version}:${build.integrity}`).digest('hex');
  return `${SYNC_QUEUE_PREFIX}${build.connector}.${digest.slice(0, 16)}`;
}

/** One sync of a scope at a time: pg-boss's `stately` policy keys on this. */
export function scopeKey(job: Pick<SyncJob, 'connector' | 'connectionId' | 'scopeId'>): string {
  return `${job.connector}/${job.connectionId}/${job.scopeId}`;
}

export function scheduleQueueName(schedule: string): string {
  return `${SCHEDULE_QUEUE_PREFIX}${schedule.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}
