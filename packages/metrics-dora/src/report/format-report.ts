import type { DoraReport } from './dora-report.js';
import type { MetricResult } from './metric-result.js';

/** The report as a readable table: one row per metric (figure, band), then the counts behind each. */
export function formatReport(report: DoraReport): string {
  const { deploymentFrequency, leadTime, changeFailureRate, recoveryTime } = report.metrics;
  const rows: [string, MetricResult<unknown>, string][] = [
    [
      'Deployment frequency',
      deploymentFrequency,
      figure(deploymentFrequency, (value) => `${value} ${deploymentFrequency.unit}`),
    ],
    ['Lead time for changes', leadTime, figure(leadTime, duration)],
    ['Change failure rate', changeFailureRate, figure(changeFailureRate, (value) => `${(value * 100).toFixed(1)}%`)],
    [recoveryTime.name, recoveryTime, figure(recoveryTime, duration)],
  ];
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const figureWidth = Math.max(...rows.map(([, , text]) => text.length));
  const lines = [
    `DORA report for ${report.project}, ${report.window.from} to ${report.window.to} (UTC, both days included), ${report.bands} bands`,
    '',
    ...rows.map(
      ([name, metric, text]) =>
        `  ${name.padEnd(nameWidth)}  ${text.padEnd(figureWidth)}  ${metric.band?.label ?? `N/A: ${metric.noData}`}`,
    ),
    '',
    'Counts',
    ...rows.flatMap(([name, metric]) => [`  ${name}`, ...countLines(metric.counts as Record<string, unknown>, '    ')]),
  ];
  return `${lines.join('\n')}\n`;
}

function figure(metric: MetricResult<unknown>, render: (value: number) => string): string {
  return metric.value === null ? '-' : render(metric.value);
}

/** Minutes as the dashboards show them: hours to one decimal (with days beyond two days). */
function duration(minutes: number): string {
  const hours = `${(minutes / 60).toFixed(1)} h`;
  return minutes >= 2 * 1_440 ? `${hours} (${(minutes / 1_440).toFixed(1)} days)` : hours;
}

function countLines(counts: Record<string, unknown>, indent: string): string[] {
  return Object.entries(counts).flatMap(([name, value]) =>
    typeof value === 'object' && value !== null
      ? [`${indent}${words(name)}:`, ...countLines(value as Record<string, unknown>, `${indent}  `)]
      : [`${indent}${words(name)}: ${value}`],
  );
}

/** `pullRequestsMerged` → `pull requests merged`. */
function words(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
}
