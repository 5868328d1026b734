import type { LakeKysely } from '@lake/sdk';
import { type DeploymentCommit, projectDeploymentCommits } from '../deployment-commit-rows.js';
import { projectIncidentsQuery } from '../project-incidents.js';
import { projectScopeIds } from '../project-scopes.js';
import { chunks, dateOf, textOf } from '../values.js';
import { type ProductionDeployment, productionDeployments } from './production-deployments.js';

/** An incident of the project (through `incidents.table`/`scope_id` in `project_mapping`). */
export interface ProjectIncident {
  id: string;
  createdDate: Date | null;
  resolutionDate: Date | null;
  leadTimeMinutes: number | null;
  /** The deployment this project's `project_incident_deployment_relationships` links it to, or ''. */
  deploymentId: string;
}

/** What every metric of a report reads, loaded once. */
export interface ReportData {
  repoIds: string[];
  deploymentCommits: DeploymentCommit[];
  deployments: ProductionDeployment[];
  incidents: ProjectIncident[];
  /** Successful PRODUCTION `cicd_deployments` rows with no deployment commit: invisible to every figure (§2.2.4). */
  deploymentsWithoutCommits: { id: string; finishedDate: Date | null }[];
}

export async function loadReportData(db: LakeKysely, projectName: string): Promise<ReportData> {
  const scopeIds = await projectScopeIds(db, projectName, 'cicd_scopes');
  const deploymentCommits = await projectDeploymentCommits(db, scopeIds);
  return {
    repoIds: await projectScopeIds(db, projectName, 'repos'),
    deploymentCommits,
    deployments: productionDeployments(deploymentCommits),
    incidents: await projectIncidents(db, projectName),
    deploymentsWithoutCommits: await deploymentsWithoutCommits(db, scopeIds, deploymentCommits),
  };
}

async function deploymentsWithoutCommits(
  db: LakeKysely,
  scopeIds: readonly string[],
  deploymentCommits: readonly DeploymentCommit[],
): Promise<{ id: string; finishedDate: Date | null }[]> {
  const withCommits = new Set(deploymentCommits.map((commit) => commit.cicdDeploymentId));
  const found: { id: string; finishedDate: Date | null }[] = [];
  for (const scopes of chunks(scopeIds)) {
    const rows = await db
      .selectFrom('cicd_deployments')
      .select(['id', 'finished_date'])
      .where('cicd_scope_id', 'in', scopes)
      .where('result', '=', 'SUCCESS')
      .where('environment', '=', 'PRODUCTION')
      .execute();
    for (const row of rows)
      if (!withCommits.has(String(row.id))) found.push({ id: String(row.id), finishedDate: dateOf(row.finished_date) });
  }
  return found;
}

/**
 * The project's incidents with their link. Unlike the dashboards, a link counts only if it is
 * this project's row (§3.7.6: they ignore `project_name`).
 */
async function projectIncidents(db: LakeKysely, projectName: string): Promise<ProjectIncident[]> {
  const rows = await projectIncidentsQuery(db, projectName)
    .select([
      'incidents.id as id',
      'incidents.created_date as created_date',
      'incidents.resolution_date as resolution_date',
      'incidents.lead_time_minutes as lead_time_minutes',
    ])
    .execute();
  const links = await db
    .selectFrom('project_incident_deployment_relationships')
    .select(['id', 'deployment_id'])
    .where('project_name', '=', projectName)
    .execute();
  const deploymentOf = new Map(links.map((link) => [String(link.id), textOf(link.deployment_id)]));
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    const id = String(row.id);
    if (seen.has(id)) return [];
    seen.add(id);
    return [
      {
        id,
        createdDate: dateOf(row.created_date),
        resolutionDate: dateOf(row.resolution_date),
        leadTimeMinutes: row.lead_time_minutes === null ? null : Number(row.lead_time_minutes),
        deploymentId: deploymentOf.get(id) ?? '',
      },
    ];
  });
}
