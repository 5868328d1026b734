import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ColumnSpec, column, indexed, key, nullable } from '../domain/columns.js';
import { PROVENANCE_COLUMNS } from '../domain/domain-schema.js';
import type { TableDescription } from '../store/schema-description.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import { addColumn, createIndex, createRawTable, createTable, tableExists } from './table-ddl.js';

const GADGETS = {
  id: key(column.bigint()),
  serial: indexed(column.varchar(40)),
  owner: indexed(nullable(column.bigint())),
  note: column.text(),
} satisfies Record<string, ColumnSpec>;

/** The same columns with every `index` flag removed: what a kill right after CREATE TABLE leaves. */
function withoutIndexes(columns: Record<string, ColumnSpec>): Record<string, ColumnSpec> {
  return Object.fromEntries(Object.entries(columns).map(([name, { index: _index, ...spec }]) => [name, spec]));
}

const indexNames = (table: TableDescription | undefined) => table?.indexes.map((index) => index.name) ?? [];

describe.each(testDialects())('table DDL on %s', (dialect) => {
  let database: ScratchDatabase;
  let store: Store;
  const describeTable = (name: string) => store.dialect.introspector.describeTable(store.db, name);
  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    store = await openStore(database.url);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('describes a table as the database has it: columns, nullability, primary key, indexes', async () => {
    await createTable(store.db, store.dialect, 'gadgets_clean', GADGETS, true);
    const table = await describeTable('gadgets_clean');
    expect(table?.columns.map((each) => each.name)).toEqual([
      ...Object.keys(GADGETS),
      ...Object.keys(PROVENANCE_COLUMNS),
    ]);
    expect(table?.columns.find((each) => each.name === 'owner')?.nullable).toBe(true);
    expect(table?.columns.find((each) => each.name === 'serial')).toMatchObject({
      nullable: false,
      type: expect.stringMatching(/var/),
    });
    expect(table?.primaryKey).toEqual(['id']);
    expect(table?.indexes).toEqual([
      { name: 'idx_gadgets_clean__raw_data_params', columns: ['_raw_data_params'], unique: false },
      { name: 'idx_gadgets_clean_owner', columns: ['owner'], unique: false },
      { name: 'idx_gadgets_clean_serial', columns: ['serial'], unique: false },
    ]);
    expect(await describeTable('gadgets_missing')).toBeUndefined();
    expect(await store.dialect.introspector.listTables(store.db)).toContain('gadgets_clean');
  });

  it('completes a table created without its indexes (a kill between CREATE TABLE and CREATE INDEX)', async () => {
    await createTable(
      store.db,
      store.dialect,
      'gadgets_half',
      withoutIndexes({ ...GADGETS, ...PROVENANCE_COLUMNS }),
      false,
    );
    expect(indexNames(await describeTable('gadgets_half'))).toEqual([]);
    await createTable(store.db, store.dialect, 'gadgets_half', GADGETS, true);
    expect(indexNames(await describeTable('gadgets_half'))).toEqual([
      'idx_gadgets_half__raw_data_params',
      'idx_gadgets_half_owner',
      'idx_gadgets_half_serial',
    ]);
    const clean = await describeTable('gadgets_clean');
    const completed = await describeTable('gadgets_half');
    expect(completed?.columns).toEqual(clean?.columns);
    expect(completed?.primaryKey).toEqual(clean?.primaryKey);
    // Running it again changes nothing.
    await createTable(store.db, store.dialect, 'gadgets_half', GADGETS, true);
    expect(await describeTable('gadgets_half')).toEqual(completed);
  });

  it('adds a column once and completes one added without its index', async () => {
    await createTable(store.db, store.dialect, 'gadgets_grown', { id: key(column.bigint()) }, false);
    await store.db.schema
      .alterTable('gadgets_grown')
      .addColumn('colour', store.dialect.columnType(column.varchar(20)))
      .execute();
    await addColumn(store.db, store.dialect, 'gadgets_grown', 'colour', indexed(column.varchar(20)));
    await addColumn(store.db, store.dialect, 'gadgets_grown', 'colour', indexed(column.varchar(20)));
    await addColumn(store.db, store.dialect, 'gadgets_grown', 'size', column.bigint());
    await addColumn(store.db, store.dialect, 'gadgets_grown', 'size', column.bigint());
    const table = await describeTable('gadgets_grown');
    expect(table?.columns.map((each) => each.name)).toEqual(['id', 'colour', 'size']);
    expect(table?.indexes).toEqual([{ name: 'idx_gadgets_grown_colour', columns: ['colour'], unique: false }]);
  });

  it('skips an index that exists', async () => {
    await createIndex(store.db, store.dialect, 'gadgets_grown', ['id', 'size']);
    await createIndex(store.db, store.dialect, 'gadgets_grown', ['id', 'size']);
    expect(indexNames(await describeTable('gadgets_grown'))).toEqual([
      'idx_gadgets_grown_colour',
      'idx_gadgets_grown_id_size',
    ]);
    expect((await describeTable('gadgets_grown'))?.indexes[1]?.columns).toEqual(['id', 'size']);
  });

  it('completes a raw table that lost its indexes', async () => {
    await createRawTable(store.db, store.dialect, '_raw_ddl_items');
    const complete = await describeTable('_raw_ddl_items');
    expect(indexNames(complete)).toEqual(['idx__raw_ddl_items_created_at', 'idx__raw_ddl_items_params']);
    expect(complete?.primaryKey).toEqual(['id']);
    for (const name of indexNames(complete)) {
      const drop = store.db.schema.dropIndex(name);
      await (dialect === 'mysql' ? drop.on('_raw_ddl_items') : drop).execute(); // MySQL's DROP INDEX names the table
    }
    expect(indexNames(await describeTable('_raw_ddl_items'))).toEqual([]);
    await createRawTable(store.db, store.dialect, '_raw_ddl_items');
    expect(await describeTable('_raw_ddl_items')).toEqual(complete);
    expect(await tableExists(store.db, store.dialect, '_raw_ddl_items')).toBe(true);
    expect(await store.tableExists('_raw_ddl_missing')).toBe(false);
  });
});
