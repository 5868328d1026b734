import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, key } from '../domain/columns.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import type { MigrationList } from './migration.js';
import { pendingMigrations } from './pending-migrations.js';
import { runMigrations } from './run-migrations.js';

const MIGRATIONS: MigrationList = {
  '0001-first': { up: (context) => context.createTable('pending_first', { id: key(column.bigint()) }) },
  '0002-second': { up: (context) => context.createTable('pending_second', { id: key(column.bigint()) }) },
};

describe.each(testDialects())('pendingMigrations on %s', (dialect) => {
  let database: ScratchDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    store = await openStore(database.url);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const tableNames = async () => (await store.db.introspection.getTables()).map((table) => table.name).sort();

  it('on a lake that never migrated: every id, and nothing is written', async () => {
    expect(await pendingMigrations(store, 'pending', MIGRATIONS)).toEqual(['0001-first', '0002-second']);
    expect(await tableNames()).toEqual([]);
  });

  it('names only the migrations not recorded yet, in id order', async () => {
    const { '0002-second': _later, ...first } = MIGRATIONS;
    await runMigrations(store, 'pending', first);
    const before = await tableNames();
    expect(await pendingMigrations(store, 'pending', MIGRATIONS)).toEqual(['0002-second']);
    expect(await tableNames()).toEqual(before);
    await runMigrations(store, 'pending', MIGRATIONS);
    expect(await pendingMigrations(store, 'pending', MIGRATIONS)).toEqual([]);
    // Another owner's record says nothing about this one.
    expect(await pendingMigrations(store, 'other', MIGRATIONS)).toEqual(['0001-first', '0002-second']);
  });
});
