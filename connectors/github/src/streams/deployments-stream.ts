import { defineStream, extractRow, linkHeader, paginate } from '@lake/sdk';
import { repositoryOf } from '../lookups.js';
import { type GithubTypes, repositoryPath } from '../settings.js';
import { deploymentsTable } from '../tables/cicd-tables.js';

interface DeploymentPayload {
  id: number;
}

/**
 * Deployments with their latest status (one more request each, sent several at a time
 * within the connection's budget). Re-read in full every sync: statuses change, and
 * deleted deployments disappear.
 */
export const deploymentsStream = defineStream<GithubTypes>({
  name: 'deployments',
  description: 'Deployments with their latest status (cicd_deployments, cicd_deployment_commits)',
  dependsOn: ['repository'],
  tables: [deploymentsTable],
  async *collect(context) {
    const base = repositoryPath(context.scope);
    const api = context.client.api;
    for await (const page of paginate<DeploymentPayload>(
      api,
      { path: `${base}/deployments`, searchParams: { per_page: 100 } },
      linkHeader(),
    )) {
      const statuses = await Promise.all(
        page.items.map((deployment) =>
          api.get<unknown[]>(`${base}/deployments/${deployment.id}/statuses`, { searchParams: { per_page: 1 } }),
        ),
      );
      for (const [index, deployment] of page.items.entries()) {
        yield { data: { deployment, status: statuses[index]!.body[0] ?? null }, url: page.response.url };
      }
    }
  },
  async extract(data, context) {
    const repository = await repositoryOf(context);
    return extractRow(deploymentsTable, data, { repoId: repository.id, repoHtmlUrl: repository.htmlUrl });
  },
});
