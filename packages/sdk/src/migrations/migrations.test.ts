import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, key } from '../domain/columns.js';
import { DOMAIN_TABLES, PROVENANCE_COLUMNS } from '../domain/domain-schema.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import type { MigrationList } from './migration.js';
import { runMigrations } from './run-migrations.js';
import { SDK_MIGRATIONS } from './sdk-migrations.js';

describe.each(testDialects())('migrations on %s', (dialect) => {
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

  it('creates the domain layer exactly as declared (no drift between schema and migrations)', async () => {
    const first = await runMigrations(store, 'sdk', SDK_MIGRATIONS);
    expect(first.applied).toEqual(['0001-framework-tables', '0002-domain-tables', '0003-dora-tables']);
    const tables = await store.db.introspection.getTables();
    const byName = new Map(tables.map((table) => [table.name, table]));
    for (const [name, spec] of Object.entries(DOMAIN_TABLES)) {
      const table = byName.get(name);
      expect(table, `table ${name}`).toBeDefined();
      const expected = [...Object.keys(spec.columns), ...Object.keys(PROVENANCE_COLUMNS)].sort();
      expect(table!.columns.map((each) => each.name).sort(), `columns of ${name}`).toEqual(expected);
    }
    expect(Object.keys(DOMAIN_TABLES)).toHaveLength(44);
  });

  it('gives a lake migrated by the first release the DORA tables from their own migration', async () => {
    const older = await createScratchDatabase(dialect);
    const lake = await openStore(older.url);
    try {
      const { '0003-dora-tables': _later, ...firstRelease } = SDK_MIGRATIONS;
      await runMigrations(lake, 'sdk', firstRelease);
      expect(await lake.tableExists('incidents')).toBe(false);
      expect(await lake.tableExists('issues')).toBe(true);
      expect((await runMigrations(lake, 'sdk', SDK_MIGRATIONS)).applied).toEqual(['0003-dora-tables']);
      for (const table of ['incidents', 'incident_assignees', 'commits_diffs', 'project_pr_metrics']) {
        expect(await lake.tableExists(table), table).toBe(true);
      }
      const incidents = await lake.dialect.introspector.describeTable(lake.db, 'incidents');
      expect(incidents?.indexes.map((index) => index.columns)).toContainEqual(['table', 'scope_id']);
      expect((await lake.dialect.introspector.describeTable(lake.db, 'project_pr_metrics'))?.primaryKey).toEqual([
        'id',
        'project_name',
      ]);
    } finally {
      await lake.close();
      await older.drop();
    }
  });

  it('applies each migration once, in order, and records it per owner', async () => {
    const order: string[] = [];
    const migrations: MigrationList = {
      '0002-second': {
        async up(context) {
          order.push('second');
          await context.addColumn(context.toolTableName('things'), 'colour', column.varchar(20));
        },
      },
      '0001-first': {
        async up(context) {
          order.push('first');
          await context.createToolTable('things', { name: key(column.varchar(100)) });
          if (context.dialect === 'postgres')
            await context.sql`COMMENT ON TABLE _tool_demo_things IS 'dialect-specific'`.execute(context.db);
        },
      },
    };
    expect((await runMigrations(store, 'demo', migrations)).applied).toEqual(['0001-first', '0002-second']);
    expect(order).toEqual(['first', 'second']);
    expect((await runMigrations(store, 'demo', migrations)).applied).toEqual([]);
    const columns = (await store.db.introspection.getTables())
      .find((table) => table.name === '_tool_demo_things')!
      .columns.map((each) => each.name);
    expect(columns).toEqual(
      expect.arrayContaining(['connection_id', 'name', 'colour', '_raw_data_params', 'created_at']),
    );
    const recorded = await store.db.selectFrom('_lake_migrations_demo').select('name').orderBy('name').execute();
    expect(recorded.map((row) => row.name)).toEqual(['0001-first', '0002-second']);
  });

  it('stops at a failing migration and names it', async () => {
    const migrations: MigrationList = {
      '0001-fine': {
        up: (context) => context.createTable('_lake_test_fine', { id: key(column.bigint()) }, { provenance: false }),
      },
      '0002-broken': {
        async up(context) {
          await context.sql`this is not sql`.execute(context.db);
        },
      },
    };
    await expect(runMigrations(store, 'broken', migrations)).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringContaining('broken/0002-broken'),
    });
  });
});
