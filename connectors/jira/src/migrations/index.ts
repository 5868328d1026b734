import type { MigrationList } from '@lake/sdk';
import { createToolTables } from './0001-create-tool-tables.js';

export const migrations: MigrationList = {
  '0001-create-tool-tables': createToolTables,
};
