import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, key, nullable } from '../domain/columns.js';
import { createRawTable, createTable, tableExists } from '../migrations/table-ddl.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import { databaseUrlSecrets, describeDatabaseUrl, parseDatabaseUrl } from './database-url.js';
import { openStore, type Store } from './store.js';
import type { TableShape } from './table-shape.js';

const shape: TableShape = {
  name: 'widgets',
  columns: {
    id: key(column.varchar(64)),
    part: key(column.bigint()),
    label: column.varchar(),
    body: column.text(),
    weight: column.float(),
    active: column.bool(),
    seen_at: nullable(column.datetime()),
    extra: column.json(),
    created_at: column.datetime(),
  },
  keys: ['id', 'part'],
};

describe.each(testDialects())('store on %s', (dialect) => {
  let database: ScratchDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    store = await openStore(database.url);
    await createTable(store.db, store.dialect, 'widgets', { ...shape.columns }, false);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('upserts many rows in one go: inserts new keys, updates existing ones, keeps created_at', async () => {
    const created = new Date('2024-01-01T00:00:00.000Z');
    await store.transaction((writer) =>
      writer.upsert(shape, [
        {
          id: 'a',
          part: 1,
          label: 'first',
          body: 'x'.repeat(70_000),
          weight: 1.5,
          active: true,
          extra: { tags: ['a'] },
          created_at: created,
        },
        { id: 'b', part: 1, label: 'second', seen_at: '2024-02-03T04:05:06.789Z', created_at: created },
      ]),
    );
    await store.transaction((writer) =>
      writer.upsert(shape, [{ id: 'a', part: 1, label: 'first, renamed', active: false, created_at: new Date() }]),
    );
    const rows = await store.db.selectFrom('widgets').selectAll().orderBy('id').execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: 'a', label: 'first, renamed', weight: 0 });
    expect(Boolean(Number(rows[0]!.active))).toBe(false);
    expect(new Date(rows[0]!.created_at as string).toISOString()).toBe(created.toISOString());
    expect(rows[1]).toMatchObject({ id: 'b', label: 'second', body: '' });
    expect(new Date(rows[1]!.seen_at as string).toISOString()).toBe('2024-02-03T04:05:06.789Z');
    expect(rows[1]!.extra).toBeNull();
  });

  it('deduplicates rows with the same key inside one statement (last wins)', async () => {
    await store.writer().upsert(shape, [
      { id: 'dup', part: 1, label: 'one' },
      { id: 'dup', part: 1, label: 'two' },
      { id: 'dup', part: 2, label: 'other part' },
    ]);
    const rows = await store.db
      .selectFrom('widgets')
      .select(['part', 'label'])
      .where('id', '=', 'dup')
      .orderBy('part')
      .execute();
    expect(rows).toEqual([
      { part: 1, label: 'two' },
      { part: 2, label: 'other part' },
    ]);
  });

  it('splits batches larger than one statement may carry', async () => {
    const rows = Array.from({ length: 9_000 }, (_, index) => ({
      id: `bulk-${index}`,
      part: index,
      label: `row ${index}`,
    }));
    await store.transaction((writer) => writer.upsert(shape, rows));
    const count = await store.db
      .selectFrom('widgets')
      .select((builder) => builder.fn.countAll().as('count'))
      .where('id', 'like', 'bulk-%')
      .executeTakeFirstOrThrow();
    expect(Number(count.count)).toBe(9_000);
  });

  it('a failed transaction writes nothing', async () => {
    await expect(
      store.transaction(async (writer) => {
        await writer.upsert(shape, [{ id: 'rolled-back', part: 1 }]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await store.db.selectFrom('widgets').selectAll().where('id', '=', 'rolled-back').execute();
    expect(rows).toEqual([]);
  });

  it('inserts raw rows and returns their ids in row order', async () => {
    await createRawTable(store.db, store.dialect, '_raw_test_things');
    await createRawTable(store.db, store.dialect, '_raw_test_things'); // idempotent
    expect(await tableExists(store.db, store.dialect, '_raw_test_things')).toBe(true);
    expect(await tableExists(store.db, store.dialect, '_raw_test_missing')).toBe(false);
    const rawShape: TableShape = {
      name: '_raw_test_things',
      columns: {
        id: key(column.bigint()),
        params: column.varchar(),
        data: column.text(),
        url: column.text(),
        input: column.text(),
        created_at: column.datetime(),
      },
      keys: ['id'],
    };
    const rows = Array.from({ length: 250 }, (_, index) => ({
      params: 'p',
      data: JSON.stringify({ index }),
      url: '',
      input: 'null',
      created_at: new Date(),
    }));
    const ids = await store.transaction((writer) => writer.insertReturningIds(rawShape, rows));
    expect(ids).toHaveLength(250);
    const stored = await store.db.selectFrom('_raw_test_things').select(['id', 'data']).execute();
    const byId = new Map(stored.map((row) => [Number(row.id), JSON.parse(String(row.data)).index]));
    expect(ids.map((id) => byId.get(id))).toEqual(rows.map((_, index) => index));
  });
});

describe('database URLs', () => {
  it('parses the three dialects and relative SQLite paths', () => {
    expect(parseDatabaseUrl('sqlite:.lake/lake.db', '/work')).toEqual({
      dialect: 'sqlite',
      path: '/work/.lake/lake.db',
    });
    expect(parseDatabaseUrl('sqlite:///tmp/x.db')).toEqual({ dialect: 'sqlite', path: '/tmp/x.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('postgresql://u@h/d').dialect).toBe('postgres');
    expect(parseDatabaseUrl('mariadb://root@h:3306/d')).toEqual({ dialect: 'mysql', url: 'mysql://root@h:3306/d' });
  });

  it('refuses what it cannot open, and masks passwords', () => {
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/needs a file path/);
    expect(() => parseDatabaseUrl('oracle://x')).toThrow(/unsupported scheme oracle:/);
    expect(() => parseDatabaseUrl('not a url')).toThrow(/expected sqlite:<path>/);
    expect(describeDatabaseUrl('postgres://lake:hunter2@db:5432/lake')).toBe('postgres://lake:[redacted]@db:5432/lake');
  });

  it('masks a password with @ in it whole, and password-like query parameters', () => {
    expect(describeDatabaseUrl('postgres://lake:p@ss@w0rd@db:5432/lake')).toBe(
      'postgres://lake:[redacted]@db:5432/lake',
    );
    expect(describeDatabaseUrl('mysql://root:a/b@c@db/lake')).toBe('mysql://root:[redacted]@db/lake');
    expect(
      describeDatabaseUrl(
        'postgres://db/lake?user=lake&password=hunter2&sslmode=require&sslpassword=k3y&sslkey=/k.pem',
      ),
    ).toBe('postgres://db/lake?user=lake&password=[redacted]&sslmode=require&sslpassword=[redacted]&sslkey=[redacted]');
    expect(describeDatabaseUrl('mysql://root@db:3306/lake?Password=x#y')).toBe(
      'mysql://root@db:3306/lake?Password=[redacted]#y',
    );
    expect(describeDatabaseUrl('postgres://lake@db:5432/lake')).toBe('postgres://lake@db:5432/lake');
    expect(describeDatabaseUrl('connect postgres://a:b@c@h1/x failed, then mysql://u@h2:1/y?pwd=z')).toBe(
      'connect postgres://a:[redacted]@h1/x failed, then mysql://u@h2:1/y?pwd=[redacted]',
    );
    const invalid = (() => {
      try {
        parseDatabaseUrl('postgres://lake:p@ss word@db:99999/lake');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(invalid).toContain('postgres://lake:[redacted]@db:99999/lake');
    expect(invalid).not.toMatch(/ss word/);
    expect(databaseUrlSecrets('postgres://lake:p%40ss@db/lake?sslpassword=k%20y&user=x')).toEqual(['p@ss', 'k y']);
    expect(databaseUrlSecrets('sqlite:.lake/lake.db')).toEqual([]);
  });

  it('reports an unreachable server without leaking its password', async () => {
    const failure = (await openStore('postgres://lake:hunter2@127.0.0.1:1/lake').catch(
      (error: unknown) => error,
    )) as Error;
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { code?: string }).code).toBe('DATABASE_UNREACHABLE');
    expect(failure.message).toContain('127.0.0.1:1');
    expect(failure.message).not.toContain('hunter2');
    const withAt = (await openStore('postgres://lake:hun@ter2@127.0.0.1:1/lake?sslpassword=pem-pass').catch(
      (error: unknown) => error,
    )) as Error;
    expect(withAt.message).toContain('127.0.0.1:1');
    expect(withAt.message).not.toMatch(/ter2|pem-pass/);
  });
});
