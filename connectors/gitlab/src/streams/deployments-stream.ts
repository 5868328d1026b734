import { defineRestStream, extractRow, nextPageHeader } from '@lake/sdk';
import { projectOf } from '../lookups.js';
import { type GitlabTypes, projectPath } from '../settings.js';
import { deploymentsTable } from '../tables/cicd-tables.js';
import { PAGE_SIZE, UPDATED_ASCENDING, updatedAfter } from './updated-after.js';

/**
 * Deployments with their environment and job, incremental by `updated_after` (which GitLab
 * accepts only with `order_by=updated_at`): a deployment that finishes after a sync is read again.
 */
export const deploymentsStream = defineRestStream<GitlabTypes>({
  name: 'deployments',
  description: 'Deployments and their environments (cicd_deployments, cicd_deployment_commits)',
  dependsOn: ['project'],
  tables: [deploymentsTable],
  path: (context) => `${projectPath(context.scope)}/deployments`,
  searchParams: UPDATED_ASCENDING,
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  cursor: updatedAfter,
  async extract(data, context) {
    const project = await projectOf(context);
    return extractRow(deploymentsTable, data, { projectId: project.id, projectWebUrl: project.webUrl });
  },
});
