import type { PgBoss } from 'pg-boss';
import type { Manifest } from '../manifest/manifest-schema.js';
import { scheduleName } from '../run/schedule.js';
import { SCHEDULE_QUEUE_PREFIX, scheduleQueueName } from './sync-job.js';

export interface ClusterSchedule {
  schedule: string;
  queue: string;
  cron: string;
  timezone: string | null;
}

/**
 * `lake schedule` with a queue: lake.yaml's schedules stored in pg-boss, whose cron fires each
 * tick once for the whole cluster (whichever worker's clock gets there first); a worker then
 * enqueues the tick's scopes. Schedules lake.yaml no longer lists are removed.
 */
export async function registerClusterSchedules(boss: PgBoss, manifest: Manifest): Promise<ClusterSchedule[]> {
  const wanted: ClusterSchedule[] = manifest.schedules.map((schedule, index) => {
    const name = scheduleName(schedule, index);
    return { schedule: name, queue: scheduleQueueName(name), cron: schedule.cron, timezone: schedule.timezone ?? null };
  });
  for (const entry of wanted) {
    if (!(await boss.getQueue(entry.queue))) await boss.createQueue(entry.queue);
    await boss.schedule(
      entry.queue,
      entry.cron,
      { schedule: entry.schedule },
      entry.timezone ? { tz: entry.timezone } : {},
    );
  }
  const names = new Set(wanted.map((entry) => entry.queue));
  for (const existing of await boss.getSchedules()) {
    if (existing.name.startsWith(SCHEDULE_QUEUE_PREFIX) && !names.has(existing.name))
      await boss.unschedule(existing.name);
  }
  return wanted;
}
