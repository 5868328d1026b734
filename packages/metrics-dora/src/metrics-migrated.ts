import { LakeError, pendingMigrations, SDK_MIGRATIONS, type Store } from '@lake/sdk';
import { METRICS_DORA_MIGRATIONS, MIGRATION_OWNER } from './migrations.js';

/**
 * Reports and explanations only read what `runMetrics` migrated and filled; they never write
 * to the lake (`lake ui` is read-only), so a lake the metric has not run on since it was
 * installed or upgraded is told what to run instead of being migrated behind its back.
 */
export async function assertMetricsMigrated(store: Store): Promise<void> {
  const pending = [
    ...(await pendingMigrations(store, 'sdk', SDK_MIGRATIONS)).map((id) => `sdk/${id}`),
    ...(await pendingMigrations(store, MIGRATION_OWNER, METRICS_DORA_MIGRATIONS)).map(
      (id) => `${MIGRATION_OWNER}/${id}`,
    ),
  ];
  if (pending.length === 0) return;
  throw new LakeError(
    'USAGE',
    `the dora metric has not run on this lake since it was installed or upgraded (pending migrations: ${pending.join(', ')}); run \`lake metrics\` first`,
    { source: 'metrics-dora', details: { pending } },
  );
}
