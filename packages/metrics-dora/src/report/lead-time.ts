import type { LakeKysely } from '@lake/sdk';
import { isFirstDeployment, rangesContaining } from '../merge-commit-ranges.js';
import { winningDeployment } from '../pull-request-deployments.js';
import { chunks, dateOf, textOf } from '../values.js';
import { type BandEdition, leadTimeBand } from './bands.js';
import { lowerMedian } from './median.js';
import type { MetricResult } from './metric-result.js';
import type { ReportData } from './report-data.js';
import { inWindow, type ReportWindow, windowInstants } from './report-window.js';

/** Why a pull request merged in the window has no deploy time. */
export interface MissingDeployTimeCounts {
  /** The pull request has no merge commit sha. */
  noMergeCommit: number;
  /** Its merge commit is in no successful PRODUCTION deployment's commit range. */
  mergeCommitInNoDeployment: number;
  /** Its merge commit is only in the range of a first deployment, which has no previous one, so its range is unknown. */
  onlyInFirstDeployment: number;
  /** The deployment that shipped it has no finish date. */
  deploymentNotFinished: number;
  /** The deployment that shipped it finished before the merge. */
  deploymentBeforeMerge: number;
  /** `project_pr_metrics` has no row for it: `change-lead-time` has not run since it was merged. */
  notComputed: number;
}

export interface LeadTimeCounts {
  /** Pull requests whose deployment finished in the window, with a deploy time: the median's sample. */
  pullRequestsDeployed: number;
  /** Pull requests whose deployment finished in the window before their merge (no deploy time; left out, unlike DevLake). */
  pullRequestsDeployedBeforeMerge: number;
  /** Pull requests of the project's repos merged in the window. */
  pullRequestsMerged: number;
  pullRequestsMergedWithDeployTime: number;
  pullRequestsMergedWithoutDeployTime: number;
  withoutDeployTime: MissingDeployTimeCounts;
}

interface MetricsRow {
  deploymentCommitId: string;
  deployTime: number | null;
  cycleTime: number | null;
}

/**
 * Lead time for changes (§3.3): the median `pr_cycle_time` of the project's pull requests whose
 * deployment finished in the window. Only pull requests with a deploy time count (DevLake also
 * counts those deployed before their merge, §3.7.1); the others are counted by reason.
 */
export async function leadTime(
  db: LakeKysely,
  projectName: string,
  data: ReportData,
  window: ReportWindow,
  edition: BandEdition,
): Promise<MetricResult<LeadTimeCounts>> {
  const instants = windowInstants(window);
  const metrics = await projectPrMetrics(db, projectName);
  const finishedById = new Map(data.deploymentCommits.map((commit) => [commit.id, commit.finishedDate]));
  const sample: number[] = [];
  let deployedBeforeMerge = 0;
  for (const row of metrics.values()) {
    if (row.deploymentCommitId === '' || !inWindow(finishedById.get(row.deploymentCommitId) ?? null, instants))
      continue;
    if (row.deployTime === null || row.cycleTime === null) deployedBeforeMerge += 1;
    else sample.push(row.cycleTime);
  }
  const merged = await mergedInWindow(db, data.repoIds, instants);
  const withoutDeployTime = await missingDeployTimes(db, data, merged, metrics);
  const missing = Object.values(withoutDeployTime).reduce((sum, count) => sum + count, 0);
  const median = lowerMedian(sample);
  return {
    value: median,
    unit: 'minutes',
    band: median === null ? null : leadTimeBand(median, edition),
    noData: median === null ? 'no pull requests deployed in the window' : null,
    counts: {
      pullRequestsDeployed: sample.length,
      pullRequestsDeployedBeforeMerge: deployedBeforeMerge,
      pullRequestsMerged: merged.length,
      pullRequestsMergedWithDeployTime: merged.length - missing,
      pullRequestsMergedWithoutDeployTime: missing,
      withoutDeployTime,
    },
  };
}

async function missingDeployTimes(
  db: LakeKysely,
  data: ReportData,
  merged: readonly { id: string; mergeCommitSha: string }[],
  metrics: ReadonlyMap<string, MetricsRow>,
): Promise<MissingDeployTimeCounts> {
  const counts: MissingDeployTimeCounts = {
    noMergeCommit: 0,
    mergeCommitInNoDeployment: 0,
    onlyInFirstDeployment: 0,
    deploymentNotFinished: 0,
    deploymentBeforeMerge: 0,
    notComputed: 0,
  };
  const ranges = await rangesContaining(
    db,
    data.deploymentCommits,
    merged.map((pullRequest) => pullRequest.mergeCommitSha),
  );
  for (const pullRequest of merged) {
    const row = metrics.get(pullRequest.id);
    if (row?.deployTime !== null && row?.deployTime !== undefined) continue;
    const containing = ranges.get(pullRequest.mergeCommitSha) ?? [];
    if (!row) counts.notComputed += 1;
    else if (pullRequest.mergeCommitSha === '') counts.noMergeCommit += 1;
    else if (row.deploymentCommitId !== '') counts.deploymentBeforeMerge += 1;
    else if (winningDeployment(containing)) counts.deploymentNotFinished += 1;
    else if (containing.some(isFirstDeployment)) counts.onlyInFirstDeployment += 1;
    else counts.mergeCommitInNoDeployment += 1;
  }
  return counts;
}

async function projectPrMetrics(db: LakeKysely, projectName: string): Promise<Map<string, MetricsRow>> {
  const rows = await db
    .selectFrom('project_pr_metrics')
    .select(['id', 'deployment_commit_id', 'pr_deploy_time', 'pr_cycle_time'])
    .where('project_name', '=', projectName)
    .execute();
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return new Map(
    rows.map((row) => [
      String(row.id),
      {
        deploymentCommitId: textOf(row.deployment_commit_id),
        deployTime: number(row.pr_deploy_time),
        cycleTime: number(row.pr_cycle_time),
      },
    ]),
  );
}

async function mergedInWindow(
  db: LakeKysely,
  repoIds: readonly string[],
  instants: ReturnType<typeof windowInstants>,
): Promise<{ id: string; mergeCommitSha: string }[]> {
  const merged: { id: string; mergeCommitSha: string }[] = [];
  for (const repos of chunks(repoIds)) {
    const rows = await db
      .selectFrom('pull_requests')
      .select(['id', 'merge_commit_sha', 'merged_date'])
      .where('base_repo_id', 'in', repos)
      .where('merged_date', 'is not', null)
      .execute();
    for (const row of rows)
      if (inWindow(dateOf(row.merged_date), instants))
        merged.push({ id: String(row.id), mergeCommitSha: textOf(row.merge_commit_sha) });
  }
  return merged;
}
