import { column, defineToolTable, domainRecord, key } from '@lake/sdk';
import type { JenkinsTypes } from '../settings.js';

/** The scope's job (a Pipeline, a freestyle job, or a multibranch pipeline whose branches are its child jobs). */
export const jobsTable = defineToolTable<JenkinsTypes>()({
  entity: 'jobs',
  columns: {
    fullName: { ...key(column.varchar()), source: '/fullName' },
    name: column.varchar(),
    jobClass: { ...column.varchar(), source: '/_class' },
    url: column.varchar(),
    description: column.text(),
  },
  produces: ['cicd_scopes'],
  *convert(row, context) {
    yield domainRecord('cicd_scopes', {
      id: context.ids.of('JenkinsJob', row.full_name!),
      name: row.full_name,
      url: row.url,
      description: row.description,
    });
  },
});
