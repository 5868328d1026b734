import { defineStream } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';
import { issueTypesTable, statusesTable } from '../tables/catalog-tables.js';
import { forgetStatusCategories } from './status-categories.js';

/** The issue types of the site: one unpaged list (`/rest/api/{2,3}/issuetype`). */
export const issueTypesStream = defineStream<JiraTypes>({
  name: 'issue_types',
  description: 'Issue types of the site (tool layer only, as DevLake)',
  tables: [issueTypesTable],
  async *collect(context) {
    const response = await context.client.api.get<unknown[]>(`/rest/api/${context.client.restVersion}/issuetype`);
    for (const issueType of response.body) yield { data: issueType, url: response.url };
  },
});

/** The statuses of the site with their categories: one unpaged list (`/rest/api/{2,3}/status`). */
export const statusesStream = defineStream<JiraTypes>({
  name: 'statuses',
  description:
    'Statuses of the site and their categories (status changes in issue_changelogs as TODO, IN_PROGRESS, DONE)',
  tables: [statusesTable],
  async *collect(context) {
    const response = await context.client.api.get<unknown[]>(`/rest/api/${context.client.restVersion}/status`);
    // The issues extracted next read the categories again from the lake.
    forgetStatusCategories(context.db);
    for (const status of response.body) yield { data: status, url: response.url };
  },
});
