import { DOMAIN_TABLES } from '../../domain/domain-schema.js';
import type { Migration } from '../migration.js';

/**
 * The DevLake-compatible domain layer as first released. Later changes to
 * `domain/domain-schema.ts` must come with their own migration (`addColumn`, …); the
 * schema-drift test compares the migrated database with the declaration on every dialect.
 */
export const domainTables: Migration = {
  async up(context) {
    for (const [name, table] of Object.entries(DOMAIN_TABLES)) {
      await context.createTable(name, { ...table.columns });
    }
  },
};
