import type { DeploymentCommit } from '../deployment-commit-rows.js';
import { compareText } from '../values.js';

/**
 * A deployment as the dashboards count it (§3.1): a `cicd_deployment_id` among the project's
 * successful PRODUCTION deployment commits, finished at the latest finish of its rows (null when
 * none of them has a finish date).
 */
export interface ProductionDeployment {
  id: string;
  finishedDate: Date | null;
  commits: DeploymentCommit[];
}

/** The project's deployments, sorted by id. */
export function productionDeployments(deploymentCommits: readonly DeploymentCommit[]): ProductionDeployment[] {
  const byId = new Map<string, ProductionDeployment>();
  for (const commit of deploymentCommits) {
    if (commit.result !== 'SUCCESS' || commit.environment !== 'PRODUCTION') continue;
    const deployment = byId.get(commit.cicdDeploymentId) ?? {
      id: commit.cicdDeploymentId,
      finishedDate: null,
      commits: [],
    };
    deployment.commits.push(commit);
    if (commit.finishedDate && (!deployment.finishedDate || commit.finishedDate > deployment.finishedDate))
      deployment.finishedDate = commit.finishedDate;
    byId.set(deployment.id, deployment);
  }
  return [...byId.values()].sort((left, right) => compareText(left.id, right.id));
}
