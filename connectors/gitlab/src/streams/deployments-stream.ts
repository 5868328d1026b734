import { defineRestStream, extractRow, nextPageHeader } from '@lake/sdk';
import { environmentTierOf, projectOf } from '../lookups.js';
import { type GitlabTypes, projectPath } from '../settings.js';
import { deploymentsTable, environmentsTable } from '../tables/cicd-tables.js';
import { PAGE_SIZE, UPDATED_ASCENDING, updatedAfter } from './updated-after.js';

/**
 * The project's environments, read whole each sync (a handful, and the API has no
 * `updated_after`): their tiers, which deployments are joined to.
 */
export const environmentsStream = defineRestStream<GitlabTypes>({
  name: 'environments',
  description: 'Environments of the project and their tiers (joined to deployments)',
  dependsOn: ['project'],
  tables: [environmentsTable],
  path: (context) => `${projectPath(context.scope)}/environments`,
  paginator: nextPageHeader({ size: PAGE_SIZE }),
});

interface DeploymentPayload {
  environment?: { id?: number; tier?: string } | null;
}

/**
 * Deployments with their environment and job, incremental by `updated_after` (which GitLab
 * accepts only with `order_by=updated_at`): a deployment that finishes after a sync is read again.
 * The environment's tier is joined from the environments stream, read before.
 */
export const deploymentsStream = defineRestStream<GitlabTypes>({
  name: 'deployments',
  description: 'Deployments and their environments (cicd_deployments, cicd_deployment_commits)',
  dependsOn: ['project', 'environments'],
  tables: [deploymentsTable],
  path: (context) => `${projectPath(context.scope)}/deployments`,
  searchParams: UPDATED_ASCENDING,
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  cursor: updatedAfter,
  async extract(data: DeploymentPayload, context) {
    const project = await projectOf(context);
    const environmentId = data.environment?.id;
    const tier = data.environment?.tier ?? (environmentId ? await environmentTierOf(context, environmentId) : '');
    return extractRow(deploymentsTable, data, {
      projectId: project.id,
      projectWebUrl: project.webUrl,
      environmentTier: tier,
    });
  },
});
