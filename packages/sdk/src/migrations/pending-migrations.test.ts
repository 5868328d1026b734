import { describe, expect, it } from 'vitest';
import { column, key } from '../domain/columns.js';
import { testDialects } from '../testing/scratch-database.js';
import { useScratchStore } from '../testing/scratch-store-hooks.js';
import type { MigrationList } from './migration.js';
import { pendingMigrations } from './pending-migrations.js';
import { runMigrations } from './run-migrations.js';

const MIGRATIONS: MigrationList = {
  '0001-first': { up: (context) => context.createTable('pending_first', { id: key(column.bigint()) }) },
  '0002-second': { up: (context) => context.createTable('pending_second', { id: key(column.bigint()) }) },
};

describe.each(testDialects())('pendingMigrations on %s', (dialect) => {
  const scratch = useScratchStore(dialect);

  const tableNames = async () => (await scratch.store.db.introspection.getTables()).map((table) => table.name).sort();

  it('on a lake that never migrated: every id, and nothing is written', async () => {
    expect(await pendingMigrations(scratch.store, 'pending', MIGRATIONS)).toEqual(['0001-first', '0002-second']);
    expect(await tableNames()).toEqual([]);
  });

  it('names only the migrations not recorded yet, in id order', async () => {
    const { '0002-second': _later, ...first } = MIGRATIONS;
    await runMigrations(scratch.store, 'pending', first);
    const before = await tableNames();
    expect(await pendingMigrations(scratch.store, 'pending', MIGRATIONS)).toEqual(['0002-second']);
    expect(await tableNames()).toEqual(before);
    await runMigrations(scratch.store, 'pending', MIGRATIONS);
    expect(await pendingMigrations(scratch.store, 'pending', MIGRATIONS)).toEqual([]);
    // Another owner's record says nothing about this one.
    expect(await pendingMigrations(scratch.store, 'other', MIGRATIONS)).toEqual(['0001-first', '0002-second']);
  });
});
