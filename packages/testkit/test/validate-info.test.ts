import { column, defineConnector, defineStream, defineToolTable, key, z } from '@lake/sdk';
import { describe, expect, it } from 'vitest';
import { createTestLake, validateConnectorInfo } from '../src/index.ts';
import { BAD_TOKEN, FakeNotes, GOOD_TOKEN } from './fixtures/fake-notes.ts';
import { createNotesConnector } from './fixtures/notes-connector.ts';

function connectorWith(connection: z.ZodObject) {
  const table = defineToolTable()({ entity: 'things', columns: { id: key(column.bigint()) } });
  return defineConnector({
    contractVersion: '1.0.0',
    name: 'things',
    description: 'things',
    domainTypes: ['CROSS'],
    connection,
    scope: { schema: z.object({ name: z.string() }), id: (scope) => scope.name, name: (scope) => scope.name },
    scopeConfig: z.object({}),
    testConnection: async () => ({ ok: true, message: 'ok' }),
    domainScopes: () => [],
    streams: [defineStream({ name: 'things', tables: [table], async *collect() {} })],
    migrations: {},
  });
}

describe('validateConnectorInfo', () => {
  it('accepts a connector whose secrets are marked and whose fixture fits its schemas', () => {
    const connector = createNotesConnector();
    const context = { connection: { id: 1, endpoint: 'http://127.0.0.1:1', token: 'x' }, scope: { notebook: 'n' } };
    expect(validateConnectorInfo(connector, context)).toEqual([]);
  });

  it('names a secret-looking field declared as a plain string, and a fixture that does not fit', () => {
    const connector = connectorWith(z.object({ apiToken: z.string() }));
    expect(validateConnectorInfo(connector, { connection: { id: 1 }, scope: { name: 7 } })).toEqual([
      "the fixture's connection does not match its schema: data must have required property 'apiToken'",
      "the fixture's scope does not match its schema: data/name must be string",
      'connection.apiToken looks like a secret but is not declared with secret()',
    ]);
  });
});

describe('createTestLake', () => {
  it('syncs into an in-memory lake and counts, reads and snapshots it', async () => {
    const fake = await FakeNotes.start(25, ['home', 'other']);
    const lake = await createTestLake({ connector: createNotesConnector() });
    const context = { connection: { id: 1, endpoint: fake.url, token: GOOD_TOKEN }, scope: { notebook: 'home' } };
    await lake.syncOrThrow(context);
    expect(await lake.count('issues')).toBe(25);
    expect(await lake.count('issues', { title: 'note 7' })).toBe(1);
    expect((await lake.rows('_tool_notes_notes', { id: 3 }))[0]?.text).toBe('note 3');
    expect((await lake.snapshot()).tables._tool_notes_notes).toHaveLength(25);
    const collected = await lake.runStream({ ...context, scope: { notebook: 'other' } }, 'notes', 'collect');
    expect(collected).toMatchObject({ name: 'notes', status: 'succeeded', records: 25, toolRows: 0 });
    expect(await lake.count('_raw_notes_notes')).toBe(50);
    expect(await lake.count('_tool_notes_notes')).toBe(25);
    expect((await lake.runStream({ ...context, scope: { notebook: 'other' } }, 'notes', 'extract')).toolRows).toBe(25);
    await expect(
      lake.syncOrThrow({ ...context, connection: { id: 1, endpoint: fake.url, token: BAD_TOKEN } }),
    ).rejects.toThrow(/sync failed: .*401/);
    await lake.close();
    await fake.close();
  });
});
