import type { MigrationList } from '@lake/sdk';
import { FINISHED_PAIRS_COLUMNS, FINISHED_PAIRS_TABLE } from './tables.js';

/** Who the migrations below are recorded for (`_lake_migrations_metrics-dora`). */
export const MIGRATION_OWNER = 'metrics-dora';

/**
 * What only this metric needs besides the SDK's domain tables (which SDK migration
 * `0003-dora-tables` creates): refdiff's finished-pairs table.
 */
export const METRICS_DORA_MIGRATIONS: MigrationList = {
  '0001-finished-commits-diffs': {
    async up(context) {
      await context.createTable(FINISHED_PAIRS_TABLE, { ...FINISHED_PAIRS_COLUMNS }, { provenance: false });
    },
  },
};
