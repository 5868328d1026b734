import type { Store } from '@lake/sdk';
import { type DeploymentCommit, projectDeploymentCommits } from '../deployment-commit-rows.js';
import { projectScopeIds } from '../project-scopes.js';
import type { StepOptions, StepOutcome } from '../step-outcome.js';
import { compareDates, compareText } from '../values.js';

const REMARK = 'prev_deployment_commit_id_enricher,';

/**
 * Step `previous-deployments`: sets `prev_success_deployment_commit_id` on the project's
 * successful deployment commits that have a finish date, an environment and a repo URL: the id
 * of the previous such row of the same (cicd scope, repo URL, environment), by finish date
 * (ties by id, then commit sha), '' for the first of each chain. Other rows are not touched.
 */
export async function previousDeploymentsStep(store: Store, { projectName }: StepOptions): Promise<StepOutcome> {
  return store.transaction(async (writer) => {
    const scopeIds = await projectScopeIds(writer.db, projectName, 'cicd_scopes');
    const chained = (await projectDeploymentCommits(writer.db, scopeIds))
      .filter((row) => row.result === 'SUCCESS' && row.finishedDate && row.environment !== '' && row.repoUrl !== '')
      .sort(chainOrder);
    let previous: DeploymentCommit | undefined;
    for (const row of chained) {
      const sameChain =
        previous?.cicdScopeId === row.cicdScopeId &&
        previous.repoUrl === row.repoUrl &&
        previous.environment === row.environment;
      await writer.db
        .updateTable('cicd_deployment_commits')
        .set({
          prev_success_deployment_commit_id: sameChain ? previous!.id : '',
          _raw_data_remark: row.remark.includes(REMARK) ? row.remark : `${row.remark}${REMARK}`,
        })
        .where('id', '=', row.id)
        .where('commit_sha', '=', row.commitSha)
        .execute();
      previous = row;
    }
    return { written: { cicd_deployment_commits: chained.length }, deleted: {} };
  });
}

function chainOrder(left: DeploymentCommit, right: DeploymentCommit): number {
  return (
    compareText(left.cicdScopeId, right.cicdScopeId) ||
    compareText(left.repoUrl, right.repoUrl) ||
    compareText(left.environment, right.environment) ||
    compareDates(left.finishedDate, right.finishedDate) ||
    compareText(left.id, right.id) ||
    compareText(left.commitSha, right.commitSha)
  );
}
