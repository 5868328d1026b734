import type { MigrationList } from '@lake/sdk';
import { createToolTables } from './0001-create-tool-tables.js';
import { authoredDate } from './0002-authored-date.js';

export const migrations: MigrationList = {
  '0001-create-tool-tables': createToolTables,
  '0002-authored-date': authoredDate,
};
