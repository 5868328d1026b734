import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { column, key } from '../domain/columns.js';
import { runSync } from '../engine/sync.js';
import { openStore } from '../store/store.js';
import { defineConnector } from './define-connector.js';
import { defineStream, defineSubstream } from './stream.js';
import { defineToolTable } from './tool-table.js';

const shelves = defineToolTable()({ entity: 'shelves', columns: { id: key(column.bigint()) } });
const slots = defineToolTable()({
  entity: 'slots',
  columns: { shelfId: key(column.bigint()), position: key(column.bigint()), shelfLabel: column.varchar() },
});

const shelvesStream = defineStream({
  name: 'shelves',
  tables: [shelves],
  async *collect() {
    for (let id = 1; id <= 3; id += 1) yield { data: { id } };
  },
});

// The slots' payloads do not say which shelf they are on: the request did. `input` carries it
// from collect to extract, typed from what collect yields.
const slotsStream = defineSubstream()({
  name: 'slots',
  parent: { stream: 'shelves', table: shelves },
  tables: [slots],
  async *collect(_context, shelf) {
    for (let position = 1; position <= 2; position += 1)
      yield { data: { position }, input: { shelfId: Number(shelf.id), label: `shelf ${shelf.id}` } };
  },
  extract(data, context) {
    expectTypeOf(context.raw.input).toEqualTypeOf<{ shelfId: number; label: string }>();
    // @ts-expect-error the input has no `shelf` field: a typo is a compile error, not undefined.
    void context.raw.input.shelf;
    const { position } = data as { position: number };
    return {
      table: slots,
      row: { shelfId: context.raw.input.shelfId, position, shelfLabel: context.raw.input.label },
    };
  },
});

const connector = defineConnector({
  contractVersion: '1.0.0',
  name: 'shelving',
  description: 'shelves and their slots',
  domainTypes: ['TICKET'],
  connection: z.object({}),
  scope: { schema: z.object({ name: z.string() }), id: (scope) => scope.name, name: (scope) => scope.name },
  scopeConfig: z.object({}),
  testConnection: async () => ({ ok: true, message: 'ok' }),
  domainScopes: () => [],
  streams: [shelvesStream, slotsStream],
  migrations: {
    '0001': {
      async up(context) {
        await context.createToolTable('shelves', { id: key(column.bigint()) });
        await context.createToolTable('slots', {
          shelf_id: key(column.bigint()),
          position: key(column.bigint()),
          shelf_label: column.varchar(),
        });
      },
    },
  },
});

describe("a substream's input", () => {
  it('reaches extract as collect attached it, for every record', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      const result = await runSync({ connector, store, context: { connection: { id: 1 }, scope: { name: 'hall' } } });
      expect(result.status, result.error?.message).toBe('succeeded');
      const rows = await store.db
        .selectFrom('_tool_shelving_slots' as never)
        .select(['shelf_id', 'position', 'shelf_label'] as never[])
        .orderBy(['shelf_id', 'position'] as never[])
        .execute();
      expect(rows.map((row) => ({ ...(row as Record<string, unknown>) }))).toEqual(
        [1, 2, 3].flatMap((shelf) =>
          [1, 2].map((position) => ({ shelf_id: shelf, position, shelf_label: `shelf ${shelf}` })),
        ),
      );
    } finally {
      await store.close();
    }
  });
});
