import { afterEach, expect, it } from 'vitest';
import { column, defineConnector, defineStream, defineToolTable, key, z } from '../index.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { loadState } from './state-store.js';
import { runSync } from './sync.js';

type Types = { connection: { id: number }; scope: { name: string }; scopeConfig: object; client: undefined };
interface Position {
  /** The next page to read. */
  page: number;
  /** The highest id read. */
  highest: number;
}

/**
 * A collector that keeps one state object and moves it on record by record, checkpointing it
 * after each page of ten, as page loops often do.
 */
function connectorMutatingItsState(failAtPage: number) {
  const numbers = defineToolTable<Types>()({ entity: 'numbers', columns: { id: key(column.bigint()) }, produces: [] });
  const stream = defineStream<Types, Position>({
    name: 'numbers',
    incremental: true,
    tables: [numbers],
    async *collect(context) {
      const position: Position = { page: context.state?.page ?? 0, highest: context.state?.highest ?? -1 };
      while (position.page < 5) {
        for (let index = 0; index < 10; index += 1) {
          if (position.page === failAtPage && index === 5) throw new Error('the source went away mid-page');
          const id = position.page * 10 + index;
          // The checkpointed object changes right after the checkpoint: what was saved must not change with it.
          position.highest = id;
          yield { data: { id }, url: 'memory:' };
        }
        position.page += 1;
        await context.checkpoint(position);
      }
    },
  });
  return defineConnector({
    contractVersion: '1.0.0',
    name: 'counting',
    description: 'numbers',
    domainTypes: ['CROSS'],
    connection: z.object({}),
    scope: { schema: z.object({ name: z.string() }), id: (scope) => scope.name, name: (scope) => scope.name },
    scopeConfig: z.object({}),
    client: () => undefined,
    testConnection: async () => ({ ok: true, message: 'ok' }),
    domainScopes: () => [],
    streams: [stream],
    migrations: {
      '0001-numbers': { up: (context) => context.createToolTable('numbers', { id: key(column.bigint()) }) },
    },
  });
}

let database: ScratchDatabase | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  await database?.drop();
});

it('a checkpoint saves the state as it was when checkpointed, not as the collector changed it afterwards', async () => {
  database = await createScratchDatabase('sqlite');
  store = await openStore(database.url);
  const context = { connection: { id: 1 }, scope: { name: 'all' }, scopeConfig: {}, options: { batchSize: 10 } };
  const failed = await runSync({ connector: connectorMutatingItsState(3), store, context });
  expect(failed.status).toBe('failed');
  // Batches of 10: each checkpoint cuts a batch, committed while the collector goes on.
  const rows = await store.db
    .selectFrom('_tool_counting_numbers')
    .select((builder) => builder.fn.countAll().as('count'))
    .executeTakeFirstOrThrow();
  const saved = (await loadState(store, {
    connector: 'counting',
    connectionId: 1,
    scopeId: 'all',
    stream: 'numbers',
  })) as { cursor: Position; skip: number };
  expect(saved.cursor.page * 10 + saved.skip).toBe(Number(rows.count));
  expect(saved.cursor, 'the state as checkpointed after the last committed page').toEqual({
    page: saved.cursor.page,
    highest: saved.cursor.page * 10 - 1,
  });
  const resumed = await runSync({ connector: connectorMutatingItsState(-1), store, context });
  expect(resumed.status).toBe('succeeded');
  const after = await store.db
    .selectFrom('_tool_counting_numbers')
    .select((builder) => builder.fn.countAll().as('count'))
    .executeTakeFirstOrThrow();
  expect(Number(after.count)).toBe(50);
});
