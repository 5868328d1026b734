import type { PgBoss } from 'pg-boss';
import { type ConnectorBuild, SYNC_QUEUE_PREFIX, syncJobSchema } from './sync-job.js';

/** Jobs waiting for a connector build this worker does not have. */
export interface RefusedQueue {
  queue: string;
  connector: string;
  /** The build the jobs need. */
  version: string;
  /** What this worker has of that connector, if anything. */
  installed: string | null;
  jobs: number;
}

/** The queues with waiting jobs this worker does not serve (another lake.lock enqueued them). */
export async function findRefusedJobs(boss: PgBoss, builds: Map<string, ConnectorBuild>): Promise<RefusedQueue[]> {
  const result = await boss.getDb().executeSql(
    `SELECT name, count(*)::int AS jobs, (array_agg(data))[1] AS sample
       FROM pgboss.job WHERE name LIKE $1 AND state IN ('created', 'retry') GROUP BY name`,
    [`${SYNC_QUEUE_PREFIX}%`],
  );
  const refused: RefusedQueue[] = [];
  for (const row of result.rows as Array<{ name: string; jobs: number; sample: unknown }>) {
    if (builds.has(row.name)) continue;
    const sample = syncJobSchema.safeParse(row.sample);
    if (!sample.success) continue;
    const mine = [...builds.values()].find((build) => build.connector === sample.data.connector);
    refused.push({
      queue: row.name,
      connector: sample.data.connector,
      version: sample.data.version,
      installed: mine ? mine.version : null,
      jobs: row.jobs,
    });
  }
  return refused;
}
