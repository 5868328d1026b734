import { column, defineToolTable, domainRecord, key } from '@lake/sdk';
import type { GitlabTypes } from '../settings.js';

/** Members of the project, inherited ones included (`/members/all`). */
export const accountsTable = defineToolTable<GitlabTypes>()({
  entity: 'accounts',
  columns: {
    gitlabId: { ...key(column.bigint()), source: '/id' },
    username: column.varchar(),
    name: column.varchar(),
    state: column.varchar(40),
    email: column.varchar(),
    avatarUrl: { ...column.varchar(), source: '/avatar_url' },
    webUrl: { ...column.varchar(), source: '/web_url' },
  },
  produces: ['accounts'],
  *convert(row, context) {
    yield domainRecord('accounts', {
      id: context.ids.of('GitlabAccount', row.gitlab_id!),
      email: row.email,
      full_name: row.name,
      user_name: row.username,
      avatar_url: row.avatar_url,
      status: row.state === 'active' ? 0 : 1,
    });
  },
});
