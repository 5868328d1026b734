import { defineRestStream, extractRow, linkHeader, type ScopeContext } from '@lake/sdk';
import { repositoryOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { deploymentsTable } from '../tables/cicd-tables.js';
import { instantOf } from './listing-order.js';

interface DeploymentPayload {
  id: number;
}

interface StatusPayload {
  id: number;
  created_at: string;
}

/**
 * The latest of a deployment's statuses. GitHub lists them newest first, but the latest is
 * picked by its time (then id) rather than by its place, so that a listing in another order
 * cannot pass an older status off as the latest.
 */
function latestStatus(statuses: readonly StatusPayload[]): StatusPayload | null {
  let latest: StatusPayload | null = null;
  for (const status of statuses) {
    const at = instantOf(status.created_at);
    const latestAt = latest ? instantOf(latest.created_at) : Number.NEGATIVE_INFINITY;
    if (latest === null || at > latestAt || (at === latestAt && status.id > latest.id)) latest = status;
  }
  return latest;
}

/** A deployment with its latest status, from the first page of its statuses. */
async function withLatestStatus(deployment: DeploymentPayload, context: ScopeContext<GithubTypes>) {
  const statuses = await context.client.api.get<StatusPayload[]>(
    `${repositoryPath(context.scope)}/deployments/${deployment.id}/statuses`,
    { searchParams: { per_page: 100 } },
  );
  return { deployment, status: latestStatus(statuses.body) };
}

/**
 * Deployments with their latest status (one more request each, a page's sent several at a
 * time within the connection's budget). Re-read in full every sync: statuses change, and
 * deleted deployments disappear.
 */
// #region rest-stream
export const deploymentsStream = defineRestStream<GithubTypes>({
  name: 'deployments',
  description: 'Deployments with their latest status (cicd_deployments, cicd_deployment_commits)',
  dependsOn: ['repository'],
  tables: [deploymentsTable],
  path: (context) => `${repositoryPath(context.scope)}/deployments`,
  searchParams: { per_page: 100 },
  paginator: linkHeader(),
  transform: withLatestStatus,
  async extract(data, context) {
    const repository = await repositoryOf(context);
    return extractRow(deploymentsTable, data, { repoId: repository.id, repoHtmlUrl: repository.htmlUrl });
  },
});
// #endregion rest-stream
