import { messageOf } from '@lake/sdk';
import { formatDuration, formatTable, renderFacts } from '@lake/sdk/host';
import { type EnqueuedScope, enqueueSyncs } from '../../queue/enqueue-syncs.js';
import { withProjectQueue } from '../../queue/queue-session.js';
import { failedMetrics, type ProjectMetricsOutcome, runProjectMetrics } from '../../run/run-project-metrics.js';
import type { ScopeEvent, ScopeOutcome } from '../../run/sync-runner.js';
import { type SyncSelection, syncProject } from '../../run/sync-runner.js';
import { type CommandContext, type CommandHandler, note, print, printJson } from '../command-context.js';
import { describeMetricEvent, describeMetricOutcome, renderMetricsSummary } from '../metrics-output.js';
import { createSyncProgress } from '../sync-progress.js';

/** Exit code: see `syncExitCode`; 130 when interrupted. */
export const syncCommand: CommandHandler = async (context) => {
  const selection: SyncSelection = {
    ...(context.positionals[0] ? { connection: context.positionals[0] } : {}),
    ...(context.options.scope ? { scopes: context.options.scope as string[] } : {}),
    full: Boolean(context.options.full),
  };
  const enqueued = await withProjectQueue(context.paths, context.environment, (session) =>
    enqueueSyncs(session.boss, context.paths, session.manifest, selection, session.timings),
  );
  if (enqueued) {
    if (context.json) printJson(context, { enqueued });
    else print(context, renderEnqueued(enqueued));
    return 0;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    note(context, '\nlake: stopping after the current batch (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = context.json ? undefined : createSyncProgress(context.stderr);
  const started = Date.now();
  let outcomes: ScopeOutcome[];
  let projects: ProjectsAfterSync;
  try {
    outcomes = await syncProject(context.paths, selection, {
      environment: context.environment,
      signal: controller.signal,
      onEvent: (event: ScopeEvent) => {
        if (context.json) context.stdout.write(`${JSON.stringify({ type: 'event', ...event })}\n`);
        else progress?.(event);
      },
    });
    // The one place a sync's projects are brought up to date, once every scope has ended.
    projects = controller.signal.aborted ? { projects: [] } : await afterScopes(context, outcomes, controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (context.json) {
    context.stdout.write(
      `${JSON.stringify({ type: 'summary', outcomes, projects: projects.projects, ...(projects.error ? { error: projects.error } : {}) })}\n`,
    );
  } else {
    print(context, renderSummary(outcomes, Date.now() - started) + renderMetricsSummary(projects.projects));
    if (projects.error) note(context, `lake: ${projects.error}`);
  }
  if (controller.signal.aborted) return 130;
  return Math.max(syncExitCode(outcomes), projects.error || failedMetrics(projects.projects).length > 0 ? 1 : 0);
};

interface ProjectsAfterSync {
  projects: ProjectMetricsOutcome[];
  /** Why the projects' metrics could not run at all (a metric's install no longer matches lake.lock). */
  error?: string;
}

/**
 * What follows a sync's scopes: the metrics of every project whose scopes this sync ran, their
 * progress on stderr (or as JSON events). Whatever writes a project's own rows (`projects`,
 * `project_mapping`) belongs here, before the metrics, which read them.
 */
async function afterScopes(
  context: CommandContext,
  outcomes: readonly ScopeOutcome[],
  signal: AbortSignal,
): Promise<ProjectsAfterSync> {
  try {
    const projects = await runProjectMetrics(context.paths, outcomes, {
      environment: context.environment,
      signal,
      onEvent: (event) => {
        // As JSON lines of their own (`metric-start`, `metric-end`), beside the scopes' events.
        if (context.json) context.stdout.write(`${JSON.stringify(event)}\n`);
        else note(context, describeMetricEvent(event));
      },
    });
    return { projects };
  } catch (error) {
    return { projects: [], error: `the projects' metrics did not run: ${messageOf(error)}` };
  }
}

/** `lake sync` with a queue: what went in, and what was already waiting. */
function renderEnqueued(enqueued: readonly EnqueuedScope[]): string {
  const fresh = enqueued.filter((scope) => scope.jobId).length;
  const lines = [
    `${fresh} scope(s) enqueued for \`lake worker\`; ${enqueued.length - fresh} already waiting in the queue`,
  ];
  for (const scope of enqueued) {
    lines.push(
      `  ${scope.connection} · ${scope.scopeId}: ${scope.jobId ? `job ${scope.jobId}` : 'already queued'} (${scope.connector} ${scope.version})`,
    );
  }
  lines.push('(lake status shows the queue)');
  return lines.join('\n');
}

/**
 * 0 when every scope succeeded (or was skipped as unchanged); 2 when a scope failed on its
 * configuration (a reference that does not resolve, settings its connector refused: retrying
 * will not help); 1 when one failed otherwise.
 */
export function syncExitCode(outcomes: readonly ScopeOutcome[]): number {
  const failed = outcomes.filter((outcome) => outcome.status !== 'succeeded' && outcome.status !== 'skipped');
  if (failed.length === 0) return 0;
  return failed.some((outcome) => outcome.exitCode === 2) ? 2 : 1;
}

/**
 * One schedule tick, once: the progress lines already said how each stream ended (and that an
 * unchanged scope was skipped), so the tick adds one line and what failed, not the whole
 * table and the connector's facts again.
 */
export function renderTick(
  schedule: string,
  startedAt: Date,
  outcomes: ScopeOutcome[],
  projects: readonly ProjectMetricsOutcome[] = [],
): string {
  const records = outcomes.reduce(
    (sum, outcome) => sum + outcome.streams.reduce((s, stream) => s + stream.records, 0),
    0,
  );
  const failed = outcomes.filter((outcome) => outcome.status !== 'succeeded' && outcome.status !== 'skipped');
  const skipped = outcomes.filter((outcome) => outcome.status === 'skipped').length;
  const lines = [
    `${schedule} (started ${startedAt.toISOString()}): ${outcomes.length} scope(s), ${records.toLocaleString('en-US')} records in ${formatDuration(Date.now() - startedAt.getTime())}; ${
      failed.length === 0 ? 'all succeeded' : `${failed.length} failed`
    }${skipped > 0 ? `, ${skipped} unchanged` : ''}`,
  ];
  for (const outcome of failed) {
    lines.push(
      `  ${outcome.connection} · ${outcome.scopeId}: ${outcome.error ?? outcome.status} (log: ${outcome.logFile})`,
    );
  }
  // The projects' metrics: one line each, as a tick tells its scopes.
  for (const metric of projects.flatMap((project) => project.metrics)) lines.push(`  ${describeMetricOutcome(metric)}`);
  return lines.join('\n');
}

export function renderSummary(outcomes: ScopeOutcome[], elapsedMs: number): string {
  const rows: Array<Array<string | number>> = [];
  for (const outcome of outcomes) {
    const scope = `${outcome.connection} · ${outcome.scopeId}`;
    if (outcome.streams.length === 0) {
      rows.push([
        scope,
        `${outcome.connector} ${outcome.version}`,
        '-',
        outcome.status,
        0,
        0,
        0,
        formatDuration(outcome.elapsedMs),
      ]);
    }
    for (const stream of outcome.streams) {
      rows.push([
        scope,
        `${outcome.connector} ${outcome.version}`,
        stream.name,
        stream.status,
        stream.records,
        stream.toolRows,
        stream.domainRows,
        formatDuration(stream.elapsedMs),
      ]);
    }
  }
  const failed = outcomes.filter((outcome) => outcome.status !== 'succeeded' && outcome.status !== 'skipped');
  const records = outcomes.reduce(
    (sum, outcome) => sum + outcome.streams.reduce((s, stream) => s + stream.records, 0),
    0,
  );
  const lines = [
    '',
    formatTable(['scope', 'connector', 'stream', 'status', 'records', 'tool rows', 'domain rows', 'time'], rows),
    '',
    `${outcomes.length} scope(s), ${records.toLocaleString('en-US')} records in ${formatDuration(elapsedMs)}; ${
      failed.length === 0 ? 'all succeeded' : `${failed.length} failed`
    }`,
  ];
  for (const outcome of outcomes.filter((candidate) => candidate.summary.length > 0)) {
    lines.push('', `${outcome.connection} · ${outcome.scopeId}:`, renderFacts(outcome.summary));
  }
  for (const outcome of failed) {
    lines.push(
      `  ${outcome.connection} · ${outcome.scopeId}: ${outcome.error ?? outcome.status} (log: ${outcome.logFile})`,
    );
  }
  for (const outcome of outcomes.filter((candidate) => candidate.skipReason)) {
    lines.push(`  ${outcome.connection} · ${outcome.scopeId}: skipped, ${outcome.skipReason}`);
  }
  return lines.join('\n');
}

export type { CommandContext };
