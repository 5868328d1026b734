import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector } from '../contract/define-connector.js';
import { defineStream } from '../contract/stream.js';
import { defineToolTable } from '../contract/tool-table.js';
import { column, indexed, key, nullable } from '../domain/columns.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import { toolTableDrift } from './declaration-drift.js';
import type { MigrationList } from './migration.js';
import { runMigrations } from './run-migrations.js';

const booksTable = defineToolTable()({
  entity: 'books',
  columns: {
    id: key(column.bigint()),
    title: column.text(),
    pages: nullable(column.bigint()),
    isbn: indexed(column.varchar(20)),
    publishedAt: column.datetime(),
  },
});

function connectorWith(migrations: MigrationList) {
  return defineConnector({
    contractVersion: '1.0.0',
    name: 'drift',
    description: 'drift',
    domainTypes: ['CROSS'],
    connection: z.object({}),
    scope: {
      schema: z.object({ name: z.string() }),
      id: (scope: { name: string }) => scope.name,
      name: (scope: { name: string }) => scope.name,
    },
    scopeConfig: z.object({}),
    testConnection: async () => ({ ok: true, message: 'ok' }),
    domainScopes: () => [],
    streams: [defineStream({ name: 'books', tables: [booksTable], async *collect() {} })],
    migrations,
  });
}

const { bigint, text, varchar, datetime } = column;

describe.each(testDialects())('tool tables as migrated vs as declared, on %s', (dialect) => {
  let database: ScratchDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createScratchDatabase(dialect);
    store = await openStore(database.url);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('finds nothing when the migration creates what the declaration says', async () => {
    const connector = connectorWith({
      '0001': {
        async up(context) {
          await context.createToolTable('books', {
            id: key(bigint()),
            title: text(),
            pages: nullable(bigint()),
            isbn: indexed(varchar(20)),
            published_at: datetime(),
          });
        },
      },
    });
    await runMigrations(store, connector.name, connector.migrations);
    expect(await toolTableDrift(store, connector)).toEqual([]);
  });

  it('names each difference: a column missing, one extra, another type, other nullability, an index', async () => {
    const connector = connectorWith({
      '0001': {
        async up(context) {
          await context.createToolTable('books', {
            id: key(bigint()),
            title: varchar(100),
            pages: bigint(),
            published_on: datetime(),
          });
        },
      },
    });
    await runMigrations(store, connector.name, connector.migrations);
    const drift = await toolTableDrift(store, connector);
    expect(drift).toEqual([
      expect.stringMatching(/^_tool_drift_books\.title: declared .+, migrated .+$/),
      '_tool_drift_books.pages: declared nullable, migrated not null',
      '_tool_drift_books.isbn: declared, but no migration creates it',
      '_tool_drift_books.published_at: declared, but no migration creates it',
      '_tool_drift_books.published_on: migrated, but not declared',
      '_tool_drift_books: index on (isbn) declared, but not migrated',
    ]);
    const tables = await store.db.introspection.getTables();
    expect(tables.map((table) => table.name)).not.toContain('_lake_declared_tool_table');
  });

  it('names a declared table no migration creates', async () => {
    const connector = connectorWith({});
    expect(await toolTableDrift(store, connector)).toEqual([
      '_tool_drift_books: declared, but no migration creates it',
    ]);
  });
});
