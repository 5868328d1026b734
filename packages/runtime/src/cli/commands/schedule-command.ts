import { registerClusterSchedules } from '../../queue/cluster-schedules.js';
import { withProjectQueue } from '../../queue/queue-session.js';
import { runSchedules } from '../../run/schedule.js';
import { type CommandHandler, note } from '../command-context.js';
import { createSyncProgress } from '../sync-progress.js';
import { renderTick } from './sync-command.js';

/** `lake schedule`: runs until Ctrl-C (or SIGTERM), waits for running syncs to stop, and exits 130 as an interrupted command does. */
export const scheduleCommand: CommandHandler = async (context) => {
  const registered = await withProjectQueue(context.paths, context.environment, (session) =>
    registerClusterSchedules(session.boss, session.manifest),
  );
  if (registered) {
    if (context.json) context.stdout.write(`${JSON.stringify({ type: 'registered', schedules: registered })}\n`);
    else {
      for (const entry of registered)
        note(
          context,
          `${entry.schedule}: ${entry.cron}${entry.timezone ? ` (${entry.timezone})` : ''}, fired once per tick by the workers`,
        );
      note(
        context,
        `lake schedule: ${registered.length} schedule(s) registered in the queue; \`lake worker\` processes run them`,
      );
    }
    return 0;
  }
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    note(context, '\nlake: stopping the schedules; running syncs stop after their current batch');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const progress = context.json ? undefined : createSyncProgress(context.stderr);
  const emit = (value: unknown) => context.stdout.write(`${JSON.stringify(value)}\n`);
  try {
    await runSchedules(context.paths, {
      environment: context.environment,
      signal: controller.signal,
      onStart: (schedule, next) =>
        context.json
          ? emit({ type: 'schedule', schedule, next })
          : note(context, `${schedule}: next run ${next ? next.toISOString() : 'never'}`),
      onSkip: (schedule) =>
        context.json
          ? emit({ type: 'skip', schedule })
          : note(context, `${schedule}: previous run still going; this turn skipped`),
      onEvent: (event) => (context.json ? emit({ type: 'event', ...event }) : progress?.(event)),
      onRun: (run) => {
        if (context.json)
          emit({
            type: 'run',
            schedule: run.schedule,
            outcomes: run.outcomes,
            projects: run.projects,
            error: run.error?.message,
          });
        else if (run.error) note(context, `${run.schedule}: ${run.error.message}`);
        else note(context, renderTick(run.schedule, run.startedAt, run.outcomes, run.projects));
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return controller.signal.aborted ? 130 : 0;
};
