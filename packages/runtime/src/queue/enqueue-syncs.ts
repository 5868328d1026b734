import type { PgBoss } from 'pg-boss';
import { RuntimeError } from '../errors.js';
import { readLockfile } from '../install/lockfile.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { selectScopes } from '../run/select-scopes.js';
import type { SyncSelection } from '../run/sync-runner.js';
import { ensureSyncQueue, type QueueTimings } from './queue-client.js';
import { type SyncJob, scopeKey, syncQueueName } from './sync-job.js';

export interface EnqueuedScope extends SyncJob {
  queue: string;
  /** pg-boss's job id; absent when the scope already had a job waiting (one waits per scope). */
  jobId?: string;
}

/**
 * `lake sync` with a queue: one job per selected (connection, scope), carrying the connector
 * build lake.lock pins. A scope that already has a job waiting gets no second one.
 */
export async function enqueueSyncs(
  boss: PgBoss,
  paths: ProjectPaths,
  manifest: Manifest,
  selection: SyncSelection,
  timings: QueueTimings,
): Promise<EnqueuedScope[]> {
  const lock = await readLockfile(paths);
  if (!lock) throw new RuntimeError('LOCK_MISSING', `no ${paths.lock}; run \`lake install\``);
  const enqueued: EnqueuedScope[] = [];
  const ensured = new Set<string>();
  for (const { connection, scopeId } of selectScopes(manifest, selection)) {
    const locked = lock.connectors[connection.connector];
    if (!locked) {
      throw new RuntimeError(
        'NOT_INSTALLED',
        `connector ${connection.connector} (connection "${connection.name}") is not in lake.lock; run \`lake install\``,
      );
    }
    const job: SyncJob = {
      connection: connection.name,
      connector: connection.connector,
      connectionId: connection.id,
      scopeId,
      full: selection.full ?? false,
      version: locked.version,
      integrity: locked.integrity,
    };
    const queue = syncQueueName(job);
    if (!ensured.has(queue)) {
      await ensureSyncQueue(boss, queue, timings);
      ensured.add(queue);
    }
    const jobId = await boss.send(queue, job, { singletonKey: scopeKey(job) });
    enqueued.push({ ...job, queue, ...(jobId ? { jobId } : {}) });
  }
  return enqueued;
}
