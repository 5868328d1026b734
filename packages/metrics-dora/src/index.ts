/**
 * @lake/metrics-dora — DORA and pull-request metrics derived from Lake's DevLake-compatible
 * domain tables, on SQLite, PostgreSQL and MySQL/MariaDB. `runMetrics` runs every step; each
 * step is also exported on its own.
 */
export { CommitGraph } from './commit-graph.js';
export {
  type ExplainedDeployment,
  explainPullRequest,
  type PullRequestExplanation,
  type SpanName,
} from './explain/explain-pull-request.js';
export { formatExplanation } from './explain/format-explanation.js';
export type { SpanExplanation } from './explain/span-explanation.js';
export { METRICS_DORA_MIGRATIONS, MIGRATION_OWNER } from './migrations.js';
export { BAND_EDITIONS, type Band, type BandEdition, type BandLevel } from './report/bands.js';
export type { ChangeFailureRateCounts } from './report/change-failure-rate.js';
export type { DeploymentFrequencyCounts } from './report/deployment-frequency.js';
export { type DoraReport, type DoraReportOptions, doraReport } from './report/dora-report.js';
export { formatReport } from './report/format-report.js';
export type { LeadTimeCounts, MissingDeployTimeCounts } from './report/lead-time.js';
export type { MetricResult } from './report/metric-result.js';
export type { RecoveryTimeCounts } from './report/recovery-time.js';
export type { ReportWindow } from './report/report-window.js';
export { type RunMetricsOptions, runMetrics, type StepReport, selectSteps } from './run-metrics.js';
export type { Step, StepOptions, StepOutcome } from './step-outcome.js';
export { changeLeadTimeStep } from './steps/change-lead-time.js';
export { commitDiffsStep } from './steps/commit-diffs.js';
export { DEPLOYMENT_COMMITS_SUBTASK, deploymentCommitsStep } from './steps/deployment-commits.js';
export { DEPLOYMENTS_SUBTASK, deploymentsStep } from './steps/deployments.js';
export { incidentDeploymentsStep } from './steps/incident-deployments.js';
export { incidentsStep } from './steps/incidents.js';
export { STEP_NAMES, STEPS, type StepName } from './steps/index.js';
export { previousDeploymentsStep } from './steps/previous-deployments.js';
export { FINISHED_PAIRS_TABLE } from './tables.js';
