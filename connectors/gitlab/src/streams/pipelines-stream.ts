import { defineRestStream, defineRestSubstream, extractRow, nextPageHeader } from '@lake/sdk';
import { PIPELINES_BUDGET } from '../client.js';
import { projectOf } from '../lookups.js';
import { type GitlabTypes, projectPath } from '../settings.js';
import { jobsTable, pipelinesTable } from '../tables/cicd-tables.js';
import { PAGE_SIZE, UPDATED_ASCENDING, updatedAfter } from './updated-after.js';

/**
 * Pipelines, incremental by `updated_after`: one that finishes after a sync has a newer
 * `updated_at` and is read again. Every request counts against the pipelines API's own budget.
 */
export const pipelinesStream = defineRestStream<GitlabTypes>({
  name: 'pipelines',
  description: 'Pipelines (cicd_pipelines, cicd_pipeline_commits; incremental by updated time)',
  dependsOn: ['project'],
  tables: [pipelinesTable],
  path: (context) => `${projectPath(context.scope)}/pipelines`,
  searchParams: UPDATED_ASCENDING,
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  cursor: updatedAfter,
  budget: PIPELINES_BUDGET,
  async extract(data, context) {
    return extractRow(pipelinesTable, data, { projectWebUrl: (await projectOf(context)).webUrl });
  },
});

/** The jobs of each pipeline changed since the last pass, retried attempts included. */
export const jobsStream = defineRestSubstream<GitlabTypes>()({
  name: 'jobs',
  description: 'Jobs of each pipeline (cicd_tasks)',
  incremental: true,
  parent: { stream: 'pipelines', table: pipelinesTable },
  tables: [jobsTable],
  path: (context, pipeline) => `${projectPath(context.scope)}/pipelines/${pipeline.gitlab_id}/jobs`,
  searchParams: { include_retried: true },
  paginator: nextPageHeader({ size: PAGE_SIZE }),
  budget: PIPELINES_BUDGET,
  input: (pipeline) => ({ projectId: pipeline.project_id }),
  extract: (job, context) => extractRow(jobsTable, job, context.input),
});
