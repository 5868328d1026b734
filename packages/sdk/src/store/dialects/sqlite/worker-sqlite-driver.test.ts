import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store.js';

describe('the SQLite store, its connection in a worker thread', () => {
  let directory: string;
  let store: Store;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-sqlite-worker-'));
    store = await openStore(`sqlite:${join(directory, 'lake.db')}`);
    await sql`create table numbers (n integer primary key, payload blob)`.execute(store.db);
    await sql`
      with recursive series(n) as (select 1 union all select n + 1 from series where n < 250)
      insert into numbers (n) select n from series
    `.execute(store.db);
  });
  afterAll(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('reports what a statement changed', async () => {
    const result = await store.db.executeQuery(sql`update numbers set payload = null where n <= 10`.compile(store.db));
    expect(result.numAffectedRows).toBe(10n);
  });

  it('hands BLOBs back as Buffers, as better-sqlite3 does', async () => {
    await sql`update numbers set payload = ${Buffer.from([1, 2, 3])} where n = 1`.execute(store.db);
    const { rows } = await sql<{ payload: Buffer }>`select payload from numbers where n = 1`.execute(store.db);
    expect(Buffer.isBuffer(rows[0]!.payload)).toBe(true);
    expect([...rows[0]!.payload]).toEqual([1, 2, 3]);
  });

  it('streams a select in chunks, every row once, in order', async () => {
    const seen: number[] = [];
    for await (const row of store.db.selectFrom('numbers').select('n').orderBy('n').stream(40))
      seen.push(Number(row.n));
    expect(seen).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
  });

  it('ends a stream left early, and the connection goes on serving', async () => {
    const seen: number[] = [];
    for await (const row of store.db.selectFrom('numbers').select('n').orderBy('n').stream(7)) {
      seen.push(Number(row.n));
      if (seen.length === 10) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await sql`delete from numbers where n > 200`.execute(store.db);
    const { rows } = await sql<{ count: number }>`select count(*) as count from numbers`.execute(store.db);
    expect(rows[0]!.count).toBe(200);
  });

  it("keeps SQLite's error code on a failure", async () => {
    const failure = await sql`insert into numbers (n) values (1)`.execute(store.db).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { code?: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect((failure as Error).message).toMatch(/UNIQUE constraint failed: numbers\.n/);
  });

  it('fails to open a directory, naming it', async () => {
    const failure = await openStore(`sqlite:${directory}`).catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('DATABASE_UNREACHABLE');
    expect((failure as Error).message).toContain(`cannot open database sqlite:${directory}`);
  });
});
