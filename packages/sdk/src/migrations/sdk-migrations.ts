import type { MigrationList } from './migration.js';
import { frameworkTables } from './sdk/0001-framework-tables.js';
import { domainTables } from './sdk/0002-domain-tables.js';
import { DORA_TABLES_MIGRATION, doraTables } from './sdk/0003-dora-tables.js';

/** The SDK's own migrations: framework tables and the shared domain layer. */
export const SDK_MIGRATIONS: MigrationList = {
  '0001-framework-tables': frameworkTables,
  '0002-domain-tables': domainTables,
  [DORA_TABLES_MIGRATION]: doraTables,
};
