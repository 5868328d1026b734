import type { PgBoss } from 'pg-boss';
import { DEAD_LETTER_QUEUE, METRICS_QUEUE, SYNC_QUEUE_PREFIX, type SyncJob, syncJobSchema } from './sync-job.js';

export type QueueJobState = 'queued' | 'retry' | 'running' | 'failed';

/** A sync job as `lake status` (and `lake ui`) shows it. */
export interface QueueJobRow {
  id: string;
  queue: string;
  state: QueueJobState;
  job: SyncJob;
  /** Tries so far (after the first) and how many it gets. */
  retries: number;
  retryLimit: number;
  createdAt: Date;
  startedAt: Date | null;
  /** The worker holding a running job, when it has said so. */
  worker: string | null;
  /** A failed (or retrying) job's last error. */
  error: string | null;
  /** A failed job whose retries are spent was copied to the dead-letter queue. */
  deadLettered: boolean;
}

export interface QueueWorkerRow {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  /** The connector builds (queues) it serves. */
  serving: string[];
  startedAt: Date;
  heartbeatAt: Date;
  /** Jobs it holds now. */
  jobs: number;
}

/** A project's metrics job (`lake-metrics`) that is waiting, running or failed. */
export interface QueueMetricsRow {
  id: string;
  project: string;
  state: QueueJobState;
  retries: number;
  retryLimit: number;
  /** When it may start: a queued job waits out the metrics delay after its scope's sync. */
  startAfter: Date;
  startedAt: Date | null;
  error: string | null;
}

export interface QueueStatus {
  jobs: QueueJobRow[];
  /** The projects' metrics jobs not yet completed, and the failed ones (newest first). */
  metrics: QueueMetricsRow[];
  workers: QueueWorkerRow[];
  /** Sync jobs by pg-boss state, completed ones included. */
  counts: Record<'queued' | 'retry' | 'running' | 'completed' | 'failed' | 'cancelled', number>;
}

const STATE_NAMES: Record<string, QueueJobState | undefined> = {
  created: 'queued',
  retry: 'retry',
  active: 'running',
  failed: 'failed',
};

/**
 * The queue at a glance: the queued, retrying, running and failed sync jobs (newest first, up
 * to `limit`), which worker holds each, and the live workers. `lake status` prints it; the
 * web console shows the same rows.
 */
export async function readQueueStatus(boss: PgBoss, options: { limit?: number } = {}): Promise<QueueStatus> {
  const db = boss.getDb();
  const counts: QueueStatus['counts'] = { queued: 0, retry: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
  const countRows = await db.executeSql(
    'SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name LIKE $1 GROUP BY state',
    [`${SYNC_QUEUE_PREFIX}%`],
  );
  for (const row of countRows.rows as Array<{ state: string; n: number }>) {
    const name = row.state === 'created' ? 'queued' : row.state === 'active' ? 'running' : row.state;
    if (name in counts) counts[name as keyof typeof counts] = row.n;
  }
  const jobRows = await db.executeSql(
    `SELECT j.id, j.name, j.state::text AS state, j.data, j.retry_count, j.retry_limit, j.created_on, j.started_on,
            j.output, c.worker_id,
            EXISTS (SELECT 1 FROM pgboss.job d WHERE d.name = $3 AND d.source_id = j.id) AS dead_lettered
       FROM pgboss.job j LEFT JOIN _lake_queue_claims c ON c.job_id = j.id
      WHERE j.name LIKE $1 AND j.state IN ('created', 'retry', 'active', 'failed')
      ORDER BY j.created_on DESC LIMIT $2`,
    [`${SYNC_QUEUE_PREFIX}%`, options.limit ?? 100, DEAD_LETTER_QUEUE],
  );
  const metricsRows = await db.executeSql(
    `SELECT id, state::text AS state, data->>'project' AS project, retry_count, retry_limit, start_after, started_on, output
       FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active', 'failed')
      ORDER BY created_on DESC LIMIT $2`,
    [METRICS_QUEUE, options.limit ?? 100],
  );
  return {
    jobs: jobRows.rows.flatMap(jobRowOf),
    metrics: (metricsRows.rows as Array<Record<string, unknown>>).map((row) => ({
      id: String(row.id),
      project: String(row.project),
      state: STATE_NAMES[String(row.state)] ?? 'queued',
      retries: Number(row.retry_count),
      retryLimit: Number(row.retry_limit),
      startAfter: new Date(row.start_after as string),
      startedAt: row.started_on ? new Date(row.started_on as string) : null,
      error: row.state === 'failed' || row.state === 'retry' ? errorOf(row.output) : null,
    })),
    workers: await readWorkers(boss),
    counts,
  };
}

function jobRowOf(row: Record<string, unknown>): QueueJobRow[] {
  const parsed = syncJobSchema.safeParse(row.data);
  const state = STATE_NAMES[String(row.state)];
  if (!parsed.success || !state) return [];
  return [
    {
      id: String(row.id),
      queue: String(row.name),
      state,
      job: parsed.data,
      retries: Number(row.retry_count),
      retryLimit: Number(row.retry_limit),
      createdAt: new Date(row.created_on as string),
      startedAt: row.started_on ? new Date(row.started_on as string) : null,
      worker: state === 'running' && row.worker_id ? String(row.worker_id) : null,
      error: state === 'failed' || state === 'retry' ? errorOf(row.output) : null,
      deadLettered: Boolean(row.dead_lettered),
    },
  ];
}

/** pg-boss keeps a failed job's error as a serialised Error (or what the handler threw). */
function errorOf(output: unknown): string | null {
  if (output === null || output === undefined) return null;
  if (typeof output === 'object' && 'message' in output) return String((output as { message: unknown }).message);
  return JSON.stringify(output);
}

async function readWorkers(boss: PgBoss): Promise<QueueWorkerRow[]> {
  const result = await boss.getDb().executeSql(
    `SELECT w.*, (SELECT count(*)::int FROM _lake_queue_claims c JOIN pgboss.job j ON j.id = c.job_id
                AND j.state = 'active' WHERE c.worker_id = w.worker_id) AS jobs
       FROM _lake_queue_workers w WHERE w.heartbeat_at > now() - interval '30 seconds' ORDER BY w.started_at`,
  );
  return (result.rows as Array<Record<string, unknown>>).map((row) => ({
    id: String(row.worker_id),
    host: String(row.host),
    pid: Number(row.pid),
    concurrency: Number(row.concurrency),
    serving: row.serving as string[],
    startedAt: new Date(row.started_at as string),
    heartbeatAt: new Date(row.heartbeat_at as string),
    jobs: Number(row.jobs),
  }));
}
