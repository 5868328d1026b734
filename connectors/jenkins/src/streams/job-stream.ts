import { defineStream, extractRow } from '@lake/sdk';
import { jobPath } from '../job-path.js';
import type { JenkinsTypes } from '../settings.js';
import { jobsTable } from '../tables/job-tables.js';

/** The scope's job itself (cicd_scopes), read again on every sync. */
export const jobStream = defineStream<JenkinsTypes>({
  name: 'job',
  description: 'The job of the scope (cicd_scopes)',
  tables: [jobsTable],
  async *collect(context) {
    const response = await context.client.api.get(`/${jobPath(context.scope.job)}api/json`, {
      searchParams: { tree: '_class,name,fullName,url,description' },
    });
    yield { data: response.body, url: response.url };
  },
  extract: (data) => extractRow(jobsTable, data),
});
