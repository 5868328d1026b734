import { column, defineToolTable, key } from '@lake/sdk';
import type { JiraTypes } from '../settings.js';

/** The site's issue types (`/rest/api/{2,3}/issuetype`). DevLake keeps them in its tool layer only. */
export const issueTypesTable = defineToolTable<JiraTypes>()({
  entity: 'issue_types',
  columns: {
    issueTypeId: { ...key(column.varchar(40)), source: '/id' },
    name: column.varchar(),
    untranslatedName: column.varchar(),
    description: column.text(),
    iconUrl: column.varchar(),
    subtask: column.bool(),
    hierarchyLevel: column.bigint(),
  },
});

/**
 * The site's statuses (`/rest/api/{2,3}/status`) with their category (`new`, `indeterminate`,
 * `done`): status changes in changelogs are converted to TODO, IN_PROGRESS or DONE from it.
 */
export const statusesTable = defineToolTable<JiraTypes>()({
  entity: 'statuses',
  columns: {
    statusId: { ...key(column.varchar(40)), source: '/id' },
    name: column.varchar(),
    untranslatedName: column.varchar(),
    categoryKey: { ...column.varchar(40), source: '/statusCategory/key' },
    categoryName: { ...column.varchar(), source: '/statusCategory/name' },
  },
});
