import { column, key, nullable } from '../../domain/columns.js';
import type { Migration } from '../migration.js';

/** State, runs and scope locks: the tables the sync engine keeps for itself. */
export const frameworkTables: Migration = {
  async up(context) {
    const { varchar, bigint, text, datetime, bool } = column;
    await context.createTable(
      '_lake_state',
      {
        connector: key(varchar(100)),
        connection_id: key(bigint()),
        scope_id: key(varchar(255)),
        stream: key(varchar(100)),
        state: text(),
        updated_at: datetime(),
      },
      { provenance: false },
    );
    await context.createTable(
      '_lake_runs',
      {
        id: key(varchar(64)),
        sync_id: varchar(64),
        connector: varchar(100),
        connector_version: varchar(64),
        connection_id: bigint(),
        scope_id: varchar(255),
        stream: varchar(100),
        full_sync: bool(),
        started_at: datetime(),
        finished_at: nullable(datetime()),
        records: bigint(),
        status: varchar(20),
        error: text(),
      },
      { provenance: false },
    );
    await context.createIndex('_lake_runs', ['connector', 'connection_id', 'scope_id']);
    await context.createIndex('_lake_runs', ['started_at']);
    await context.createTable(
      '_lake_locks',
      {
        connector: key(varchar(100)),
        connection_id: key(bigint()),
        scope_id: key(varchar(255)),
        owner: varchar(255),
        host: varchar(255),
        pid: bigint(),
        acquired_at: datetime(),
        heartbeat_at: datetime(),
      },
      { provenance: false },
    );
  },
};
