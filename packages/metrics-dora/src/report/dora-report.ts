import type { Store } from '@lake/sdk';
import { assertKnownProject } from '../known-project.js';
import { assertMetricsMigrated } from '../metrics-migrated.js';
import type { BandEdition } from './bands.js';
import { type ChangeFailureRateCounts, changeFailureRate } from './change-failure-rate.js';
import { type DeploymentFrequencyCounts, deploymentFrequency } from './deployment-frequency.js';
import { type LeadTimeCounts, leadTime } from './lead-time.js';
import type { MetricResult } from './metric-result.js';
import { type RecoveryTimeCounts, recoveryTime } from './recovery-time.js';
import { loadReportData } from './report-data.js';
import { type ReportWindow, reportWindow } from './report-window.js';

export interface DoraReportOptions {
  projectName: string;
  /** First day, `YYYY-MM-DD` (UTC); default six months before `to`. */
  from?: string;
  /** Last day, included, `YYYY-MM-DD` (UTC); default the day of `now`. */
  to?: string;
  /** Band thresholds and labels; default 2023. */
  bands?: BandEdition;
  /** The instant the default window ends on; default the current time. */
  now?: Date;
}

/** The four DORA metrics of a project over a window, each with its band and the counts behind it. */
export interface DoraReport {
  project: string;
  window: ReportWindow;
  bands: BandEdition;
  metrics: {
    deploymentFrequency: MetricResult<DeploymentFrequencyCounts>;
    leadTime: MetricResult<LeadTimeCounts>;
    changeFailureRate: MetricResult<ChangeFailureRateCounts>;
    /** Failed deployment recovery time (2023) or time to restore service (2021), named by `name`. */
    recoveryTime: MetricResult<RecoveryTimeCounts> & { name: string };
  };
}

/**
 * Computes the DORA report from the tables `runMetrics` derived (run it first), the way DevLake's
 * DORA dashboard defines each figure, with the counts that dashboard does not show.
 *
 *   const report = await doraReport(store, { projectName: 'shop', from: '2026-01-01', to: '2026-06-30' });
 *   report.metrics.leadTime.value; // minutes, or null with report.metrics.leadTime.noData
 */
export async function doraReport(store: Store, options: DoraReportOptions): Promise<DoraReport> {
  const window = reportWindow(options.from, options.to, options.now ?? new Date());
  const edition = options.bands ?? '2023';
  await assertMetricsMigrated(store);
  await assertKnownProject(store.db, options.projectName);
  const data = await loadReportData(store.db, options.projectName);
  return {
    project: options.projectName,
    window,
    bands: edition,
    metrics: {
      deploymentFrequency: deploymentFrequency(data, window, edition),
      leadTime: await leadTime(store.db, options.projectName, data, window, edition),
      changeFailureRate: changeFailureRate(data, window, edition),
      recoveryTime: recoveryTime(data, window, edition),
    },
  };
}
