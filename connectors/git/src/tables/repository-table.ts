import { column, defineToolTable, domainRecord, nullable } from '@lake/sdk';
import { type GitTypes, repoDomainIdOf } from '../settings.js';
import { repoKey } from './table-columns.js';

/** The repository itself. */
export const reposTable = defineToolTable<GitTypes>()({
  entity: 'repos',
  columns: {
    repoId: repoKey,
    name: column.varchar(),
    remoteUrl: column.text(),
    defaultBranch: column.varchar(),
    headSha: column.varchar(40),
    firstCommitDate: nullable(column.datetime()),
    lastCommitDate: nullable(column.datetime()),
  },
  produces: ['repos'],
  *convert(row, context) {
    yield domainRecord('repos', {
      id: repoDomainIdOf(context),
      name: String(row.name),
      url: row.remote_url,
      created_date: row.first_commit_date,
      updated_date: row.last_commit_date,
    });
  },
});
