import { messageOf } from '@lake/sdk';
import { loadManifest } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import {
  installedMetric,
  lastLine,
  loadMetricSetting,
  type MetricSetting,
  metricsOfProject,
  runMetricProcess,
} from './metric-process.js';
import type { ScopeOutcome } from './sync-runner.js';

/** What one step of a metric did, as its `run --json` reports it. */
export interface MetricStepReport {
  step: string;
  written: Record<string, number>;
  deleted: Record<string, number>;
}

/** One metric run for one project after a sync. */
export interface MetricOutcome {
  project: string;
  metric: string;
  version: string;
  /** `skipped`: a scope of the project failed in this sync, so its metrics were not computed. */
  status: 'succeeded' | 'failed' | 'skipped';
  steps: MetricStepReport[];
  /** Rows written and deleted, summed over the steps. */
  written: number;
  deleted: number;
  error?: string;
  elapsedMs: number;
}

/** A project of lake.yaml whose scopes this sync ran, and its metrics' outcomes. */
export interface ProjectMetricsOutcome {
  project: string;
  metrics: MetricOutcome[];
}

export type MetricEvent =
  | { type: 'metric-start'; project: string; metric: string; version: string }
  | { type: 'metric-end'; outcome: MetricOutcome };

export interface ProjectMetricsOptions {
  environment?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onEvent?: (event: MetricEvent) => void;
}

/**
 * The projects of lake.yaml one of whose scopes this sync ran, in lake.yaml's order: a scope
 * of a project is its connection's scope with that id (as `lake sync --scope` names it).
 */
export function syncedProjects(manifest: Manifest, outcomes: readonly ScopeOutcome[]): string[] {
  return Object.entries(manifest.projects)
    .filter(([, project]) => project.scopes.some((scope) => outcomeOf(outcomes, scope) !== undefined))
    .map(([name]) => name);
}

function outcomeOf(
  outcomes: readonly ScopeOutcome[],
  scope: { connection: string; scope: string },
): ScopeOutcome | undefined {
  return outcomes.find((outcome) => outcome.connection === scope.connection && outcome.scopeId === scope.scope);
}

/**
 * After a sync's scopes: each metric of each project whose scopes were synced, in that
 * project's order (`run --project <name> --json`, the database in LAKE_DATABASE_URL, one process at a time, since a
 * metric rewrites tables the next one may read). A project one of whose synced scopes failed
 * is skipped: its metrics would be computed from data the sync did not finish.
 */
export async function runProjectMetrics(
  paths: ProjectPaths,
  outcomes: readonly ScopeOutcome[],
  options: ProjectMetricsOptions = {},
): Promise<ProjectMetricsOutcome[]> {
  const environment = options.environment ?? process.env;
  const manifest = await loadManifest(paths);
  const projects = syncedProjects(manifest, outcomes).filter(
    (project) => metricsOfProject(manifest, project).length > 0,
  );
  if (projects.length === 0) return [];
  const setting = await loadMetricSetting(paths, environment, manifest);
  const results: ProjectMetricsOutcome[] = [];
  for (const project of projects) {
    const failedScopes = setting.manifest.projects[project]!.scopes.filter((scope) => {
      const outcome = outcomeOf(outcomes, scope);
      return outcome !== undefined && outcome.status !== 'succeeded' && outcome.status !== 'skipped';
    });
    results.push(await metricsInOrder(setting, project, options, failedScopes));
  }
  return results;
}

/** Each metric of the project in its order, until aborted; all skipped when a scope of it failed. */
async function metricsInOrder(
  setting: MetricSetting,
  project: string,
  options: ProjectMetricsOptions,
  failedScopes: ReadonlyArray<{ connection: string; scope: string }> = [],
): Promise<ProjectMetricsOutcome> {
  const metrics: MetricOutcome[] = [];
  for (const metric of metricsOfProject(setting.manifest, project)) {
    if (options.signal?.aborted) break;
    const outcome =
      failedScopes.length > 0
        ? skipped(project, metric, setting, failedScopes)
        : await runOneMetric(setting, project, metric, options);
    metrics.push(outcome);
    options.onEvent?.({ type: 'metric-end', outcome });
  }
  return { project, metrics };
}

/**
 * Each metric of one project, in its order, on whatever the lake holds now: a worker's run after
 * the project's scopes synced (their jobs may have run on other workers; a scope whose sync
 * failed is retried by the queue, and its next success runs the metrics again).
 */
export async function runMetricsOfProject(
  paths: ProjectPaths,
  project: string,
  options: ProjectMetricsOptions = {},
): Promise<ProjectMetricsOutcome> {
  const manifest = await loadManifest(paths);
  if (!manifest.projects[project]) throw new Error(`project ${project} is not in lake.yaml`);
  if (metricsOfProject(manifest, project).length === 0) return { project, metrics: [] };
  return metricsInOrder(await loadMetricSetting(paths, options.environment ?? process.env, manifest), project, options);
}

/** The projects of lake.yaml that hold this scope and have metrics to run. */
export function projectsWithMetricsOf(manifest: Manifest, scope: { connection: string; scopeId: string }): string[] {
  return Object.entries(manifest.projects)
    .filter(
      ([name, project]) =>
        project.scopes.some((entry) => entry.connection === scope.connection && entry.scope === scope.scopeId) &&
        metricsOfProject(manifest, name).length > 0,
    )
    .map(([name]) => name);
}

function skipped(
  project: string,
  metric: string,
  setting: MetricSetting,
  failedScopes: ReadonlyArray<{ connection: string; scope: string }>,
): MetricOutcome {
  const names = failedScopes.map((scope) => `${scope.connection} · ${scope.scope}`).join(', ');
  return {
    ...emptyOutcome(project, metric, setting),
    status: 'skipped',
    error: `not run: scope ${names} of project ${project} failed in this sync`,
  };
}

function emptyOutcome(project: string, metric: string, setting: MetricSetting): MetricOutcome {
  return {
    project,
    metric,
    version: setting.installed.get(metric)?.version ?? '',
    status: 'failed',
    steps: [],
    written: 0,
    deleted: 0,
    elapsedMs: 0,
  };
}

async function runOneMetric(
  setting: MetricSetting,
  project: string,
  metric: string,
  options: ProjectMetricsOptions,
): Promise<MetricOutcome> {
  const started = Date.now();
  const outcome = emptyOutcome(project, metric, setting);
  try {
    const installed = await installedMetric(setting, metric);
    options.onEvent?.({ type: 'metric-start', project, metric, version: installed.version });
    const result = await runMetricProcess(setting, installed, ['run', '--project', project, '--json'], options.signal);
    if (result.exitCode === 0) {
      outcome.steps = parseRunReport(result.stdout);
      outcome.written = sumRows(outcome.steps, 'written');
      outcome.deleted = sumRows(outcome.steps, 'deleted');
      outcome.status = 'succeeded';
    } else {
      const code = result.exitCode === null ? 'no code' : `code ${result.exitCode}`;
      outcome.error = `exited with ${code}: ${lastLine(result.stderr) ?? 'no message'}`;
    }
  } catch (error) {
    outcome.error = setting.redactor.redact(messageOf(error));
  }
  outcome.elapsedMs = Date.now() - started;
  return outcome;
}

/** The steps of `run --json`'s report (`{ database, project, steps: [...] }`, its last line). */
function parseRunReport(stdout: string): MetricStepReport[] {
  const line = lastLine(stdout);
  const report = line === undefined ? undefined : (JSON.parse(line) as { steps?: MetricStepReport[] });
  if (!Array.isArray(report?.steps)) throw new Error(`its report has no steps: ${line ?? 'it printed nothing'}`);
  return report.steps.map((step) => ({ step: step.step, written: step.written ?? {}, deleted: step.deleted ?? {} }));
}

function sumRows(steps: readonly MetricStepReport[], field: 'written' | 'deleted'): number {
  return steps.reduce((sum, step) => sum + Object.values(step[field]).reduce((s, count) => s + count, 0), 0);
}

/** Metrics that ran and failed (a skipped one's scope failure already fails the sync). */
export function failedMetrics(projects: readonly ProjectMetricsOutcome[]): MetricOutcome[] {
  return projects.flatMap((project) => project.metrics.filter((metric) => metric.status === 'failed'));
}
