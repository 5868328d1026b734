import type { Store } from '@lake/sdk';
import { type DeploymentCommit, projectDeploymentCommits } from '../deployment-commit-rows.js';
import { projectIncidentsQuery } from '../project-incidents.js';
import { projectScopeIds } from '../project-scopes.js';
import { rawOriginOf } from '../provenance.js';
import type { StepOptions, StepOutcome } from '../step-outcome.js';
import { domainTableShape } from '../tables.js';
import { compareDates, compareText, dateOf } from '../values.js';

/**
 * Step `incident-deployments`: rebuilds the project's `project_incident_deployment_relationships`.
 * Each incident of a scope of the project is linked to the deployment (`cicd_deployment_id`) of
 * the successful PRODUCTION deployment commit of the project that finished last strictly before
 * the incident was created (ties: the greater deployment id). No row when there is none.
 */
export async function incidentDeploymentsStep(store: Store, { projectName }: StepOptions): Promise<StepOutcome> {
  return store.transaction(async (writer) => {
    const removed = await writer.db
      .deleteFrom('project_incident_deployment_relationships')
      .where('project_name', '=', projectName)
      .executeTakeFirst();
    const deployments = (
      await projectDeploymentCommits(writer.db, await projectScopeIds(writer.db, projectName, 'cicd_scopes'))
    )
      .filter((row) => row.result === 'SUCCESS' && row.environment === 'PRODUCTION' && row.finishedDate)
      .sort(
        (left, right) =>
          compareDates(left.finishedDate, right.finishedDate) ||
          compareText(left.cicdDeploymentId, right.cicdDeploymentId),
      );
    const incidents = await projectIncidentsQuery(writer.db, projectName)
      .select([
        'incidents.id as id',
        'incidents.created_date as created_date',
        'incidents._raw_data_params as _raw_data_params',
        'incidents._raw_data_table as _raw_data_table',
        'incidents._raw_data_id as _raw_data_id',
        'incidents._raw_data_remark as _raw_data_remark',
      ])
      .execute();
    const now = new Date();
    const rows: Record<string, unknown>[] = [];
    for (const incident of incidents) {
      const deployment = lastFinishedBefore(deployments, dateOf(incident.created_date));
      if (!deployment) continue;
      rows.push({
        id: incident.id,
        project_name: projectName,
        deployment_id: deployment.cicdDeploymentId,
        ...rawOriginOf(incident),
        created_at: now,
        updated_at: now,
      });
    }
    await writer.upsert(domainTableShape('project_incident_deployment_relationships'), rows);
    return {
      written: { project_incident_deployment_relationships: rows.length },
      deleted: { project_incident_deployment_relationships: Number(removed.numDeletedRows) },
    };
  });
}

/** The last of `sorted` (by finish date, then deployment id) that finished strictly before `created`. */
function lastFinishedBefore(sorted: readonly DeploymentCommit[], created: Date | null): DeploymentCommit | undefined {
  if (!created) return undefined;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.finishedDate!.getTime() < created.getTime()) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : sorted[low - 1];
}
