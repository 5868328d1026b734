import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { ConnectorTypesOf } from '../contract/context.js';
import { defineConnector } from '../contract/define-connector.js';
import { defineStream } from '../contract/stream.js';
import { type ConvertRow, defineToolTable, type ToolRow } from '../contract/tool-table.js';
import { column, key, nullable } from '../domain/columns.js';
import type { DomainIds } from '../domain/domain-ids.js';
import { type DomainRecord, domainRecord } from '../domain/domain-schema.js';
import { openStore } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import { runSync } from './sync.js';

const Empty = z.object({});
type Types = ConnectorTypesOf<typeof Empty, typeof Empty, typeof Empty, undefined>;
const columns = { id: key(column.bigint()), title: column.varchar() };

// Type level: convert's row has no `_raw_data_id`; a row read back from its table (a substream's parent) has.
type NoteColumns = typeof columns;
const convertRow = {} as ConvertRow<NoteColumns>;
// @ts-expect-error `_raw_data_id` is not known while converting
void convertRow._raw_data_id;
const storedRow = {} as ToolRow<NoteColumns>;
storedRow._raw_data_id satisfies number;
convertRow._raw_data_table satisfies string;

// Type level: a column reads as its declared type, `| null` only where declared nullable; datetimes are a Date or NULL.
const kinds = {
  id: key(column.bigint()),
  title: column.varchar(),
  body: nullable(column.text()),
  done: column.bool(),
  openedAt: column.datetime(),
  closedAt: nullable(column.datetime()),
};
const kindsRow = {} as ConvertRow<typeof kinds>;
expectTypeOf(kindsRow.id).toEqualTypeOf<number>();
expectTypeOf(kindsRow.title).toEqualTypeOf<string>();
expectTypeOf(kindsRow.body).toEqualTypeOf<string | null>();
expectTypeOf(kindsRow.done).toEqualTypeOf<boolean>();
expectTypeOf(kindsRow.opened_at).toEqualTypeOf<Date | null>();
expectTypeOf(kindsRow.closed_at).toEqualTypeOf<Date | null>();

/** A notes connector whose convert is given, over three notes. */
function notesConnector(convert: (row: ConvertRow<NoteColumns>, ids: DomainIds) => DomainRecord) {
  const notesTable = defineToolTable<Types>()({
    entity: 'notes',
    columns,
    produces: ['issues'],
    *convert(row, context) {
      yield convert(row, context.ids);
    },
  });
  return defineConnector({
    contractVersion: '1.0.0',
    name: 'notes',
    description: 'Three notes, in memory',
    domainTypes: ['TICKET'],
    connection: Empty,
    scope: { schema: Empty, id: () => 'all', name: () => 'all notes', rawParams: (id) => ({ ConnectionId: id }) },
    scopeConfig: Empty,
    client: () => undefined,
    testConnection: async () => ({ ok: true, message: 'ok' }),
    domainScopes: () => [],
    streams: [
      defineStream<Types>({
        name: 'notes',
        tables: [notesTable],
        async *collect() {
          for (const id of [1, 2, 3]) yield { data: { id, title: `note ${id}` } };
        },
      }),
    ],
    migrations: {
      '0001-notes': {
        async up(context) {
          await context.createToolTable('notes', columns);
        },
      },
    },
  });
}

const context = { connection: { id: 1 }, scope: {}, options: {} };

describe.each(testDialects())('the tool row convert sees, on %s', (dialect) => {
  const databases: ScratchDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });
  async function lake() {
    const database = await createScratchDatabase(dialect);
    databases.push(database);
    return openStore(database.url);
  }

  it('has no _raw_data_id, so an id built from it fails the sync instead of collapsing every note onto one', async () => {
    const store = await lake();
    const seen: unknown[] = [];
    const connector = notesConnector((row, ids) => {
      const leaked = (row as unknown as Record<string, unknown>)._raw_data_id;
      seen.push('_raw_data_id' in row, leaked);
      return domainRecord('issues', { id: ids.of('NotesNote', leaked as number), title: row.title ?? '' });
    });
    const result = await runSync({ connector, store, context });
    expect(seen.slice(0, 2)).toEqual([false, undefined]);
    expect(result.error?.message).toContain('NotesNote id part 1 is undefined');
    expect(await store.db.selectFrom('issues').select('id').execute()).toEqual([]);
    await store.close();
  });

  it('is written with the id of its raw row, as are the domain rows converted from it', async () => {
    const store = await lake();
    const connector = notesConnector((row, ids) =>
      domainRecord('issues', { id: ids.of('NotesNote', row.id as number), title: row.title ?? '' }),
    );
    const result = await runSync({ connector, store, context });
    expect(result.error?.message ?? '').toBe('');
    const raw = await store.db.selectFrom('_raw_notes_notes').select('id').orderBy('id').execute();
    const tool = await store.db.selectFrom('_tool_notes_notes').select(['id', '_raw_data_id']).orderBy('id').execute();
    const domain = await store.db.selectFrom('issues').select(['id', '_raw_data_id']).orderBy('id').execute();
    const rawIds = raw.map((row) => Number(row.id));
    expect(rawIds).toHaveLength(3);
    expect(new Set(rawIds).size).toBe(3);
    expect(tool.map((row) => Number(row._raw_data_id))).toEqual(rawIds);
    expect(domain.map((row) => Number(row._raw_data_id))).toEqual(rawIds);
    await store.close();
  });
});
