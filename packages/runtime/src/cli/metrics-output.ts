import { formatDuration, formatTable } from '@lake/sdk/host';
import type { MetricEvent, MetricOutcome, ProjectMetricsOutcome } from '../run/run-project-metrics.js';

/** A metric's progress on stderr: one line when it starts, one when it ends. */
export function describeMetricEvent(event: MetricEvent): string {
  if (event.type === 'metric-start') return `${event.project} · metric ${event.metric} ${event.version}: running`;
  return describeMetricOutcome(event.outcome);
}

/** How one metric of one project ended, on one line. */
export function describeMetricOutcome(outcome: MetricOutcome): string {
  return `${outcome.project} · metric ${outcome.metric}: ${describeOutcome(outcome)}`;
}

function describeOutcome(outcome: MetricOutcome): string {
  if (outcome.status === 'succeeded') {
    return `${outcome.steps.length} step(s), ${outcome.written.toLocaleString('en-US')} row(s) written, ${outcome.deleted.toLocaleString('en-US')} deleted in ${formatDuration(outcome.elapsedMs)}`;
  }
  return `${outcome.status}, ${outcome.error ?? 'no message'}`;
}

/** The metrics part of `lake sync`'s summary: one row per step of each project's metrics, then what failed. */
export function renderMetricsSummary(projects: readonly ProjectMetricsOutcome[]): string {
  const outcomes = projects.flatMap((project) => project.metrics);
  if (outcomes.length === 0) return '';
  const rows: Array<Array<string | number>> = [];
  for (const outcome of outcomes) {
    const metric = `${outcome.metric} ${outcome.version}`.trim();
    if (outcome.steps.length === 0) rows.push([outcome.project, metric, '-', outcome.status, 0, 0]);
    for (const step of outcome.steps) {
      const count = (rows: Record<string, number>) => Object.values(rows).reduce((sum, value) => sum + value, 0);
      rows.push([outcome.project, metric, step.step, outcome.status, count(step.written), count(step.deleted)]);
    }
  }
  const failed = outcomes.filter((outcome) => outcome.status !== 'succeeded');
  const lines = [
    '',
    formatTable(['project', 'metric', 'step', 'status', 'written', 'deleted'], rows),
    '',
    `${outcomes.length} metric run(s) over ${projects.length} project(s); ${
      failed.length === 0 ? 'all succeeded' : `${failed.length} did not succeed`
    }`,
  ];
  for (const outcome of failed) {
    lines.push(`  metric ${outcome.metric} of project ${outcome.project}: ${outcome.error ?? outcome.status}`);
  }
  return lines.join('\n');
}
