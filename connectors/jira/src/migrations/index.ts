import type { MigrationList } from '@lake/sdk';
import { createToolTables } from './0001-create-tool-tables.js';
import { createIssueTypesAndStatuses } from './0002-issue-types-and-statuses.js';

export const migrations: MigrationList = {
  '0001-create-tool-tables': createToolTables,
  '0002-issue-types-and-statuses': createIssueTypesAndStatuses,
};
