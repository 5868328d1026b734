import { DOMAIN_TABLES, domainTablesAddedIn } from '../../domain/domain-schema.js';
import type { Migration } from '../migration.js';

export const DORA_TABLES_MIGRATION = '0003-dora-tables';

/**
 * The tables DORA and pull-request metrics derive (DevLake's dora and refdiff plugins):
 * `incidents`, `incident_assignees`, `commits_diffs`, `project_pr_metrics`,
 * `project_incident_deployment_relationships`, and the index DevLake keeps on an incident's
 * scope (`table`, `scope_id`).
 */
export const doraTables: Migration = {
  async up(context) {
    for (const name of domainTablesAddedIn(DORA_TABLES_MIGRATION)) {
      await context.createTable(name, { ...DOMAIN_TABLES[name].columns });
    }
    await context.createIndex('incidents', ['table', 'scope_id']);
  },
};
