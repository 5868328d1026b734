import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector } from '../contract/define-connector.js';
import { defineStream } from '../contract/stream.js';
import { defineToolTable } from '../contract/tool-table.js';
import { column, key } from '../domain/columns.js';
import { domainRecord } from '../domain/domain-schema.js';
import { runSync } from '../engine/sync.js';
import { secret } from '../secrets/secret.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import { openStore, type Store } from './store.js';
import { varcharConverter } from './value-codec.js';
import { codePointLength, refuseIfLonger, ValueTooLongError } from './value-too-long.js';

interface Thing {
  name: string;
  label?: string;
  status?: string;
}

const TOKEN = 'vc-secret-token-5678';

function thingsConnector(things: Thing[]) {
  const table = defineToolTable()({
    entity: 'things',
    columns: { name: key(column.varchar(300)), label: column.varchar(10), status: column.text() },
    produces: ['issues'],
    *convert(row, context) {
      // Domain ids from the first 20 characters: issues.id is varchar(255).
      const id = context.ids.of('Thing', Array.from(String(row.name)).slice(0, 20).join(''));
      yield domainRecord('issues', { id, status: String(row.status) });
    },
  });
  return defineConnector({
    contractVersion: '1.0.0',
    name: 'vc',
    description: 'things with long names',
    domainTypes: ['TICKET'],
    connection: z.object({ token: secret() }),
    scope: { schema: z.object({ name: z.string() }), id: (scope) => scope.name, name: (scope) => scope.name },
    scopeConfig: z.object({}),
    testConnection: async () => ({ ok: true, message: 'ok' }),
    domainScopes: () => [],
    streams: [
      defineStream({
        name: 'things',
        tables: [table],
        async *collect() {
          for (const thing of things) yield { data: thing };
        },
      }),
    ],
    migrations: {
      '0001-things': {
        up: (context) =>
          context.createToolTable('things', {
            name: key(column.varchar(300)),
            label: column.varchar(10),
            status: column.text(),
          }),
      },
    },
  });
}

describe('varchar lengths', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀😀')).toBe(2);
    expect(codePointLength('é')).toBe(1);
    expect(codePointLength('\ud800x')).toBe(2); // a lone surrogate is one
    expect(() => refuseIfLonger('😀😀😀', 3)).not.toThrow();
    expect(() => refuseIfLonger('😀😀😀😀', 3)).toThrow(ValueTooLongError);
    const convert = varcharConverter('', 3);
    expect(convert('😀😀😀')).toBe('😀😀😀');
    expect(convert(null)).toBe('');
    expect(() => convert(12345)).toThrow(expect.objectContaining({ declaredLength: 3, valueLength: 5 }));
    expect(() => convert({ a: 1 })).toThrow(expect.objectContaining({ valueLength: 7 }));
  });
});

describe.each(testDialects())('values longer than their varchar on %s', (dialect) => {
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

  const sync = (scope: string, things: Thing[]) =>
    runSync({
      connector: thingsConnector(things),
      store,
      context: { connection: { id: 1, token: TOKEN }, scope: { name: scope } },
    });

  it('stores a value of exactly n code points, even when it has more UTF-16 units', async () => {
    const result = await sync('fits', [{ name: '😀'.repeat(300), label: 'ééééééééé😀' }]);
    expect(result.error?.message).toBeUndefined();
    const rows = await store.db.selectFrom('_tool_vc_things').select(['name', 'label']).execute();
    expect(rows).toEqual([{ name: '😀'.repeat(300), label: 'ééééééééé😀' }]);
  });

  it('refuses a tool row in extract, naming table, column, both lengths and the key, on every dialect alike', async () => {
    const name = `refs/heads/${'x'.repeat(290)}`; // 301 characters
    const result = await sync('long-key', [{ name: 'fine' }, { name }]);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'EXTRACT_FAILED',
      details: {
        table: '_tool_vc_things',
        column: 'name',
        declaredLength: 300,
        valueLength: 301,
        key: { connection_id: '1', name: `refs/heads/${'x'.repeat(49)}…` },
      },
    });
    expect(result.error?.message).toContain('_tool_vc_things.name is varchar(300) but a value has 301 characters');
    expect(result.error?.message).toContain(`name=refs/heads/${'x'.repeat(49)}…`);
    expect(result.error?.message.length).toBeLessThan(400);
  });

  it('counts code points: 11 emoji in a varchar(10) are refused (10 accented letters and an emoji fit, above)', async () => {
    const result = await sync('emoji', [{ name: 'emoji', label: '😀'.repeat(11) }]);
    expect(result.error).toMatchObject({ code: 'EXTRACT_FAILED', details: { column: 'label', valueLength: 11 } });
  });

  it('redacts secrets in the key values it names', async () => {
    const result = await sync('secret-key', [{ name: `token ${TOKEN}`, label: 'eleven chars' }]);
    expect(result.error).toMatchObject({ code: 'EXTRACT_FAILED', details: { column: 'label', valueLength: 12 } });
    expect(result.error?.message).not.toContain(TOKEN);
    expect(JSON.stringify(result.error?.details)).not.toContain(TOKEN);
    expect(result.error?.message).toContain('name=token [redacted]');
  });

  it('refuses a domain row in convert', async () => {
    const result = await sync('long-status', [{ name: 'status', status: 's'.repeat(101) }]);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'CONVERT_FAILED',
      details: { table: 'issues', column: 'status', declaredLength: 100, valueLength: 101 },
    });
    expect(result.error?.message).toMatch(
      /issues\.status is varchar\(100\) but a value has 101 characters \(row id=vc:Thing:1:status\)/,
    );
  });
});
