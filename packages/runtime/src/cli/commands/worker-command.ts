import { RuntimeError } from '../../errors.js';
import { runWorker, type WorkerEvent } from '../../queue/sync-worker.js';
import { type CommandContext, type CommandHandler, note } from '../command-context.js';
import { describeMetricEvent } from '../metrics-output.js';

/** `lake worker [--concurrency N]`: serves the queue until SIGTERM or Ctrl-C, then exits 0 once its jobs are released. */
export const workerCommand: CommandHandler = async (context) => {
  const concurrencyText = (context.options.concurrency as string | undefined) ?? '2';
  const concurrency = Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new RuntimeError('USAGE', `--concurrency must be a whole number from 1 to 64 (got "${concurrencyText}")`);
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    note(context, 'lake worker: stopping; running syncs stop after their current batch and go back in the queue');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await runWorker(context.paths, {
      environment: context.environment,
      concurrency,
      signal: controller.signal,
      onEvent: (event) =>
        context.json ? context.stdout.write(`${JSON.stringify(event)}\n`) : note(context, describeWorkerEvent(event)),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 0;
};

export function describeWorkerEvent(event: WorkerEvent): string {
  switch (event.type) {
    case 'worker-start':
      return `lake worker ${event.worker}: ${event.concurrency} at once, serving ${event.serving.map((build) => `${build.connector} ${build.version}`).join(', ')}`;
    case 'refused':
      return `lake worker: refusing ${event.refused.jobs} queued job(s) for ${event.refused.connector} ${event.refused.version}: ${
        event.refused.installed ? `this worker's lake.lock has ${event.refused.installed}` : 'not installed here'
      }`;
    case 'job-start':
      return `${event.job.connection} · ${event.job.scopeId}: started (attempt ${event.attempt})`;
    case 'job-end':
      return `${event.job.connection} · ${event.job.scopeId}: ${event.status}${event.error ? `: ${event.error}` : ''}`;
    case 'schedule-fired':
      return `${event.schedule}: ${event.enqueued} scope(s) enqueued`;
    case 'metrics-queued':
      return `${event.project}: metrics queued (job ${event.jobId})`;
    case 'metric-start':
    case 'metric-end':
      return describeMetricEvent(event);
    case 'queue-error':
      return `lake worker: queue error: ${event.message}`;
    case 'worker-stop':
      return `lake worker ${event.worker}: stopped`;
  }
}

export type { CommandContext };
