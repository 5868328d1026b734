import { column, defineToolTable, domainRecord, key, nullable } from '@lake/sdk';
import type { GithubTypes } from '../settings.js';

/** Users as `GET /users/{login}` describes them. */
export const accountsTable = defineToolTable<GithubTypes>()({
  entity: 'accounts',
  columns: {
    githubId: { ...key(column.bigint()), source: '/id' },
    login: column.varchar(),
    name: column.varchar(),
    email: column.varchar(),
    company: column.varchar(),
    avatarUrl: { ...column.varchar(), source: '/avatar_url' },
    htmlUrl: { ...column.varchar(), source: '/html_url' },
    kind: { ...column.varchar(40), source: '/type' },
    accountCreatedAt: { ...nullable(column.datetime()), source: '/created_at' },
  },
  produces: ['accounts'],
  *convert(row, context) {
    yield domainRecord('accounts', {
      id: context.ids.of('GithubAccount', row.github_id!),
      email: row.email,
      full_name: row.name,
      user_name: row.login,
      avatar_url: row.avatar_url,
      organization: row.company,
      created_date: row.account_created_at,
      status: 0,
    });
  },
});
