import { DOMAIN_TABLES, domainTablesAddedIn } from '../../domain/domain-schema.js';
import type { Migration } from '../migration.js';

/**
 * The DevLake-compatible domain layer as first released: every declared table that names no
 * later migration in `addedIn`. A table declared later names the migration that creates it;
 * a column added later comes with a migration of its own (`addColumn`, …). The schema-drift
 * test compares the migrated database with the declaration on every dialect.
 */
export const domainTables: Migration = {
  async up(context) {
    for (const name of domainTablesAddedIn(undefined)) {
      await context.createTable(name, { ...DOMAIN_TABLES[name].columns });
    }
  },
};
