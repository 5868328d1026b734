import type { Store } from '@lake/sdk';
import { toDate } from '../run/run-records.js';

/** A merged pull request of the project with its lead-time spans (minutes), as `project_pr_metrics` holds them. */
export interface DoraPullRequest {
  id: string;
  title: string;
  url: string;
  codingMinutes: number | null;
  pickupMinutes: number | null;
  reviewMinutes: number | null;
  deployMinutes: number | null;
  cycleMinutes: number | null;
  mergedAt: string | null;
  deployedAt: string | null;
}

export interface DoraDeployment {
  id: string;
  name: string;
  result: string;
  environment: string;
  finishedAt: string | null;
}

export interface DoraIncident {
  id: string;
  title: string;
  status: string;
  createdAt: string | null;
  resolvedAt: string | null;
}

/** One calendar week (from Monday, UTC) of a trend. */
export interface DoraWeek {
  week: string;
  deployments: number;
  /** Median cycle time (lower median, minutes) of the PRs deployed that week; null without any. */
  medianCycleMinutes: number | null;
  incidents: number;
}

export interface DoraRows {
  pullRequests: DoraPullRequest[];
  deployments: DoraDeployment[];
  incidents: DoraIncident[];
  weeks: DoraWeek[];
}

/** The rows behind a project's DORA figures, read from the tables the dora metric derived. */
export async function readDoraRows(store: Store, project: string): Promise<DoraRows> {
  const [pullRequests, deployments, incidents] = await Promise.all([
    readPullRequests(store, project),
    readDeployments(store, project),
    readIncidents(store, project),
  ]);
  return { pullRequests, deployments, incidents, weeks: weeklyTrends(pullRequests, deployments, incidents) };
}

async function readPullRequests(store: Store, project: string): Promise<DoraPullRequest[]> {
  if (!(await store.tableExists('project_pr_metrics'))) return [];
  const rows = (await store.db
    .selectFrom('project_pr_metrics as metric')
    .leftJoin('pull_requests as pull', 'pull.id', 'metric.id')
    .select([
      'metric.id as id',
      'pull.title as title',
      'pull.url as url',
      'metric.pr_coding_time as coding',
      'metric.pr_pickup_time as pickup',
      'metric.pr_review_time as review',
      'metric.pr_deploy_time as deploy',
      'metric.pr_cycle_time as cycle',
      'metric.pr_merged_date as merged',
      'metric.pr_deployed_date as deployed',
    ])
    .where('metric.project_name', '=', project)
    .orderBy('metric.pr_merged_date', 'desc')
    .orderBy('metric.id', 'asc')
    .execute()) as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    id: String(row.id),
    title: String(row.title ?? ''),
    url: String(row.url ?? ''),
    codingMinutes: numberOrNull(row.coding),
    pickupMinutes: numberOrNull(row.pickup),
    reviewMinutes: numberOrNull(row.review),
    deployMinutes: numberOrNull(row.deploy),
    cycleMinutes: numberOrNull(row.cycle),
    mergedAt: isoOrNull(row.merged),
    deployedAt: isoOrNull(row.deployed),
  }));
}

/** The project's deployments: one per `cicd_deployment_id` of its CI scopes, finished at its latest row. */
async function readDeployments(store: Store, project: string): Promise<DoraDeployment[]> {
  const scopes = await mappedRows(store, project, 'cicd_scopes');
  if (scopes.length === 0) return [];
  if (!(await store.tableExists('cicd_deployment_commits'))) return [];
  const rows = (await store.db
    .selectFrom('cicd_deployment_commits')
    .select(['cicd_deployment_id', 'name', 'result', 'environment', 'finished_date'])
    .where('cicd_scope_id', 'in', scopes)
    .execute()) as Array<Record<string, unknown>>;
  const byId = new Map<string, DoraDeployment>();
  for (const row of rows) {
    const id = String(row.cicd_deployment_id || '');
    const finishedAt = isoOrNull(row.finished_date);
    const known = byId.get(id);
    if (known && (known.finishedAt ?? '') >= (finishedAt ?? '')) continue;
    byId.set(id, {
      id,
      name: String(row.name ?? ''),
      result: String(row.result ?? ''),
      environment: String(row.environment ?? ''),
      finishedAt,
    });
  }
  return [...byId.values()].sort(
    (a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? '') || a.id.localeCompare(b.id),
  );
}

async function readIncidents(store: Store, project: string): Promise<DoraIncident[]> {
  const boards = await mappedRows(store, project, 'boards');
  if (boards.length === 0 || !(await store.tableExists('incidents'))) return [];
  const rows = (await store.db
    .selectFrom('incidents')
    .select(['id', 'title', 'status', 'created_date', 'resolution_date'])
    .where('table', '=', 'boards')
    .where('scope_id', 'in', boards)
    .orderBy('created_date', 'desc')
    .execute()) as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    id: String(row.id),
    title: String(row.title ?? ''),
    status: String(row.status ?? ''),
    createdAt: isoOrNull(row.created_date),
    resolvedAt: isoOrNull(row.resolution_date),
  }));
}

/** The domain ids of a project's scopes of one kind, from `project_mapping`. */
async function mappedRows(store: Store, project: string, table: string): Promise<string[]> {
  if (!(await store.tableExists('project_mapping'))) return [];
  const rows = await store.db
    .selectFrom('project_mapping')
    .select('row_id')
    .where('project_name', '=', project)
    .where('table', '=', table)
    .execute();
  return rows.map((row) => String(row.row_id));
}

/**
 * Weekly trends: successful production deployments finished, the median cycle time of the PRs
 * deployed, and incidents created, per calendar week from Monday (UTC), oldest first.
 */
export function weeklyTrends(
  pullRequests: readonly DoraPullRequest[],
  deployments: readonly DoraDeployment[],
  incidents: readonly DoraIncident[],
): DoraWeek[] {
  const weeks = new Map<string, { deployments: number; cycles: number[]; incidents: number }>();
  const weekOf = (iso: string | null) => {
    if (!iso) return undefined;
    const key = mondayOf(iso);
    let week = weeks.get(key);
    if (!week) {
      week = { deployments: 0, cycles: [], incidents: 0 };
      weeks.set(key, week);
    }
    return week;
  };
  for (const deployment of deployments) {
    if (deployment.result === 'SUCCESS' && deployment.environment === 'PRODUCTION') {
      const week = weekOf(deployment.finishedAt);
      if (week) week.deployments += 1;
    }
  }
  for (const pull of pullRequests) {
    if (pull.cycleMinutes !== null) weekOf(pull.deployedAt)?.cycles.push(pull.cycleMinutes);
  }
  for (const incident of incidents) {
    const week = weekOf(incident.createdAt);
    if (week) week.incidents += 1;
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, figures]) => ({
      week,
      deployments: figures.deployments,
      medianCycleMinutes: lowerMedian(figures.cycles),
      incidents: figures.incidents,
    }));
}

/** The Monday (UTC) of an instant's week, `YYYY-MM-DD`. */
export function mondayOf(iso: string): string {
  const date = new Date(iso);
  const day = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}

/** The lower median, as the DORA dashboard takes it; null for no values. */
export function lowerMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function isoOrNull(value: unknown): string | null {
  return toDate(value)?.toISOString() ?? null;
}
