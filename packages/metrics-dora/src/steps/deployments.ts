import type { Store } from '@lake/sdk';
import { deploymentPipelines } from '../deployment-pipelines.js';
import { deleteGeneratedRows } from '../generated-rows.js';
import { projectScopeIds } from '../project-scopes.js';
import { rawOriginOf } from '../provenance.js';
import type { StepOptions, StepOutcome } from '../step-outcome.js';
import { domainTableShape } from '../tables.js';

export const DEPLOYMENTS_SUBTASK = 'dora.generateDeployments';

/**
 * Step `deployments`: one `cicd_deployments` row (id = the pipeline's id) per deployment
 * pipeline of the project's cicd scopes. Rebuilds the rows this step wrote for those scopes;
 * other writers' rows are left alone.
 */
export async function deploymentsStep(store: Store, { projectName }: StepOptions): Promise<StepOutcome> {
  return store.transaction(async (writer) => {
    const scopeIds = await projectScopeIds(writer.db, projectName, 'cicd_scopes');
    const deleted = await deleteGeneratedRows(writer.db, 'cicd_deployments', DEPLOYMENTS_SUBTASK, scopeIds);
    const now = new Date();
    const rows = (await deploymentPipelines(writer.db, scopeIds)).map(({ row, id, environment }) => ({
      id,
      ...rawOriginOf(row),
      created_at: now,
      updated_at: now,
      cicd_scope_id: row.cicd_scope_id,
      name: row.name,
      display_title: row.display_title,
      url: row.url,
      result: row.result,
      status: row.status,
      original_status: row.original_status,
      original_result: row.original_result,
      environment,
      original_environment: '',
      created_date: row.created_date,
      queued_date: row.queued_date,
      started_date: row.started_date,
      finished_date: row.finished_date,
      duration_sec: row.duration_sec ?? 0,
      queued_duration_sec: row.queued_duration_sec,
      subtask_name: DEPLOYMENTS_SUBTASK,
    }));
    await writer.upsert(domainTableShape('cicd_deployments'), rows);
    return { written: { cicd_deployments: rows.length }, deleted: { cicd_deployments: deleted } };
  });
}
