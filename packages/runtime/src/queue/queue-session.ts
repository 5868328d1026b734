import type { PgBoss } from 'pg-boss';
import { loadManifest } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import type { QueueTimings } from './queue-client.js';
import { resolveQueueUrl } from './queue-url.js';
import { ensureRegistryTables } from './worker-registry.js';

export interface QueueSession {
  boss: PgBoss;
  manifest: Manifest;
  timings: QueueTimings;
}

/**
 * Runs `work` with a client of the project's queue (sends and reads, no supervision), or
 * returns undefined without opening anything when lake.yaml has no `queue:`.
 */
export async function withProjectQueue<T>(
  paths: ProjectPaths,
  environment: NodeJS.ProcessEnv,
  work: (session: QueueSession) => Promise<T>,
  manifest?: Manifest,
): Promise<T | undefined> {
  const loaded = manifest ?? (await loadManifest(paths));
  const url = await resolveQueueUrl(paths, environment, loaded);
  if (!url) return undefined;
  // pg-boss (and pg) load only for a project with a queue: `lake status` without one stays light.
  const { openQueue, queueTimings } = await import('./queue-client.js');
  const timings = queueTimings(environment);
  const boss = await openQueue(url, 'client', timings);
  try {
    await ensureRegistryTables(boss);
    return await work({ boss, manifest: loaded, timings });
  } finally {
    await boss.stop({ graceful: false, timeout: 5_000 });
  }
}
