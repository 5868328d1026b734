import { Cron } from 'croner';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ScheduleEntry } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { type ProjectMetricsOutcome, runProjectMetrics } from './run-project-metrics.js';
import { type ScopeEvent, type ScopeOutcome, syncProject } from './sync-runner.js';

export interface ScheduleRun {
  schedule: string;
  startedAt: Date;
  outcomes: ScopeOutcome[];
  /** The metrics of the projects this tick synced, run after its scopes as `lake sync` runs them. */
  projects: ProjectMetricsOutcome[];
  error?: Error;
}

export interface ScheduleOptions {
  environment?: NodeJS.ProcessEnv;
  /** Stops the scheduler; running syncs are interrupted the way Ctrl-C interrupts `lake sync`. */
  signal: AbortSignal;
  onStart?: (schedule: string, next: Date | null) => void;
  onSkip?: (schedule: string) => void;
  onRun?: (run: ScheduleRun) => void;
  onEvent?: (event: ScopeEvent) => void;
}

export function scheduleName(schedule: ScheduleEntry, index: number): string {
  return schedule.name ?? `schedules[${index}]`;
}

/**
 * `lake schedule`: runs lake.yaml's cron schedules in the foreground until stopped. A
 * schedule whose previous run is still going skips its turn rather than stacking runs.
 */
export async function runSchedules(paths: ProjectPaths, options: ScheduleOptions): Promise<void> {
  const manifest = await loadManifest(paths);
  const running = new Set<Promise<void>>();
  const jobs = manifest.schedules.map((schedule, index) => {
    const name = scheduleName(schedule, index);
    const job: Cron = new Cron(
      schedule.cron,
      {
        name,
        protect: () => options.onSkip?.(name),
        ...(schedule.timezone ? { timezone: schedule.timezone } : {}),
      },
      async () => {
        const run: ScheduleRun = { schedule: name, startedAt: new Date(), outcomes: [], projects: [] };
        const work = (async () => {
          try {
            run.outcomes = await syncProject(
              paths,
              { full: schedule.full, ...(schedule.connections ? { connections: schedule.connections } : {}) },
              {
                signal: options.signal,
                ...(options.environment ? { environment: options.environment } : {}),
                ...(options.onEvent ? { onEvent: options.onEvent } : {}),
              },
            );
            if (!options.signal.aborted) {
              run.projects = await runProjectMetrics(paths, run.outcomes, {
                signal: options.signal,
                ...(options.environment ? { environment: options.environment } : {}),
              });
            }
          } catch (error) {
            run.error = error as Error;
          }
          options.onRun?.(run);
        })();
        running.add(work);
        await work;
        running.delete(work);
      },
    );
    options.onStart?.(name, job.nextRun());
    return job;
  });
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  for (const job of jobs) job.stop();
  await Promise.all(running);
}
