import { defineRestStream, nextPageHeader } from '@lake/sdk';
import { type GitlabTypes, projectPath } from '../settings.js';
import { accountsTable } from '../tables/account-tables.js';
import { PAGE_SIZE } from './updated-after.js';

/** Members of the project, inherited from its groups included; read whole each sync (members leave). */
export const accountsStream = defineRestStream<GitlabTypes>({
  name: 'accounts',
  description: 'Members of the project, inherited ones included (accounts)',
  dependsOn: ['project'],
  tables: [accountsTable],
  path: (context) => `${projectPath(context.scope)}/members/all`,
  paginator: nextPageHeader({ size: PAGE_SIZE }),
});
