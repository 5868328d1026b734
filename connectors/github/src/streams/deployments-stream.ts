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
  state?: string;
  created_at: string;
}

/**
 * The status that says how a deployment ended: its latest, except that `inactive` (GitHub
 * retires a successful deployment so when a newer one to the same environment succeeds) does
 * not undo the success before it. Without this, every production deployment but the newest
 * would read as not successful, and DORA's deployment counts, ranges and lead times would see
 * one deployment per environment. A deployment with only `inactive` statuses keeps that one.
 * The latest is picked by time (then id) rather than by place, so that a listing in another
 * order cannot pass an older status off as the latest.
 */
export function outcomeStatus(statuses: readonly StatusPayload[]): StatusPayload | null {
  const outcomes = statuses.filter((status) => status.state !== 'inactive');
  return latestOf(outcomes.length > 0 ? outcomes : statuses);
}

function latestOf(statuses: readonly StatusPayload[]): StatusPayload | null {
  let latest: StatusPayload | null = null;
  for (const status of statuses) {
    const at = instantOf(status.created_at);
    const latestAt = latest ? instantOf(latest.created_at) : Number.NEGATIVE_INFINITY;
    if (latest === null || at > latestAt || (at === latestAt && status.id > latest.id)) latest = status;
  }
  return latest;
}

/** A deployment with the status it ended with, from the first page of its statuses. */
async function withLatestStatus(deployment: DeploymentPayload, context: ScopeContext<GithubTypes>) {
  const statuses = await context.client.api.get<StatusPayload[]>(
    `${repositoryPath(context.scope)}/deployments/${deployment.id}/statuses`,
    { searchParams: { per_page: 100 } },
  );
  return { deployment, status: outcomeStatus(statuses.body) };
}

/**
 * Deployments with their latest status (one more request each, a page's sent several at a
 * time within the connection's budget). Re-read in full every sync: statuses change, and
 * deleted deployments disappear.
 */
// #region rest-stream
export const deploymentsStream = defineRestStream<GithubTypes>({
  name: 'deployments',
  description: 'Deployments with the status they ended with (cicd_deployments, cicd_deployment_commits)',
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
