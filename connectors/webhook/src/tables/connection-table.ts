import { column, defineToolTable, domainRecord, key } from '@lake/sdk';
import type { WebhookTypes } from '../settings.js';

/**
 * The webhook connection as a scope: one row, converted into the `cicd_scopes` and `boards` rows
 * that the posted deployments and incidents belong to and that projects map.
 */
export const connectionsTable = defineToolTable<WebhookTypes>()({
  entity: 'connections',
  columns: {
    scopeId: key(column.varchar(255)),
    name: column.varchar(),
  },
  produces: ['cicd_scopes', 'boards'],
  *convert(row) {
    yield domainRecord('cicd_scopes', { id: row.scope_id, name: row.name, description: '', url: '' });
    yield domainRecord('boards', { id: row.scope_id, name: row.name, description: '', url: '', type: 'webhook' });
  },
});
