import { runMigrations, SDK_MIGRATIONS, type Store } from '@lake/sdk';
import { migrations } from './migrations/index.js';

/** Brings a lake up to what the receiver writes: the SDK's domain tables and the connector's own. */
export async function migrateWebhookLake(store: Store): Promise<void> {
  await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  await runMigrations(store, 'webhook', migrations);
}
