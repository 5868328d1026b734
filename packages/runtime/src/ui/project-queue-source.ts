import type { PgBoss } from 'pg-boss';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { type QueueJobRow, type QueueStatus as QueueRows, readQueueStatus } from '../queue/queue-status.js';
import { resolveQueueUrl } from '../queue/queue-url.js';
import { ensureRegistryTables } from '../queue/worker-registry.js';
import { noQueueConfigured, type QueueJob, type QueueStatus, type QueueStatusSource } from './queue-status-source.js';

/** Jobs the Runs page lists, newest first. */
const JOB_LIMIT = 50;

export interface ProjectQueueSource extends QueueStatusSource {
  close(): Promise<void>;
}

/**
 * The Runs page's jobs panel for a project: the queue lake.yaml names (`queue:`), read as
 * `lake status` reads it, through one client opened on first use and kept until `close`; the
 * "no queue configured" answer when lake.yaml names none.
 */
export function projectQueueSource(paths: ProjectPaths, environment: NodeJS.ProcessEnv): ProjectQueueSource {
  let opened: Promise<PgBoss | undefined> | undefined;
  const open = async (): Promise<PgBoss | undefined> => {
    const url = await resolveQueueUrl(paths, environment, await loadManifest(paths));
    if (!url) return undefined;
    // pg-boss (and pg) load only when lake.yaml names a queue, as for `lake status`.
    const { openQueue, queueTimings } = await import('../queue/queue-client.js');
    const boss = await openQueue(url, 'client', queueTimings(environment));
    await ensureRegistryTables(boss);
    return boss;
  };
  return {
    async status(): Promise<QueueStatus> {
      opened ??= open().catch((error: unknown) => {
        opened = undefined;
        throw error;
      });
      const boss = await opened;
      if (!boss) return noQueueConfigured.status();
      return consoleQueueStatus(await readQueueStatus(boss, { limit: JOB_LIMIT }));
    },
    async close(): Promise<void> {
      const boss = await opened?.catch(() => undefined);
      await boss?.stop({ graceful: false, timeout: 5_000 });
    },
  };
}

/** The queue's rows as the page shows them: retries count as queued, dates as ISO text. */
export function consoleQueueStatus(rows: QueueRows): QueueStatus {
  return {
    configured: true,
    jobs: rows.jobs.map(consoleJob),
    workers: rows.workers.map((worker) => ({
      id: worker.id,
      host: worker.host,
      lastSeenAt: worker.heartbeatAt.toISOString(),
      runningJobs: worker.jobs,
    })),
  };
}

function consoleJob(row: QueueJobRow): QueueJob {
  return {
    id: row.id,
    name: `${row.job.connection} · ${row.job.scopeId}${row.worker ? ` (worker ${row.worker})` : ''}`,
    state: row.state === 'retry' ? 'queued' : row.state,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    error: row.error,
  };
}
