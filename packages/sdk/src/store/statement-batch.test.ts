import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import { executeInOrder } from './statement-batch.js';
import { openStore, type Store } from './store.js';

describe.each(testDialects())('statements run in order on %s', (dialect) => {
  let database: ScratchDatabase;
  let store: Store;
  const quote = (name: string) => store.dialect.quote(name);
  const insert = (value: number) =>
    CompiledQuery.raw(`INSERT INTO ${quote('batch_items')} (${quote('id')}) VALUES (${value})`, []);
  const ids = async () =>
    (
      await sql<{
        id: number;
      }>`select ${sql.ref('id')} from ${sql.table('batch_items')} order by ${sql.ref('id')}`.execute(store.db)
    ).rows.map((row) => Number(row.id));

  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    store = await openStore(database.url);
    await store.db.schema
      .createTable('batch_items')
      .addColumn('id', 'integer', (definition) => definition.primaryKey())
      .execute();
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('returns every statement result in order, rows included', async () => {
    const results = await executeInOrder(store.db, [
      insert(1),
      insert(2),
      CompiledQuery.raw(`SELECT ${quote('id')} FROM ${quote('batch_items')} ORDER BY ${quote('id')}`, []),
    ]);
    expect(results).toHaveLength(3);
    expect(results.slice(0, 2).map((result) => Number(result.numAffectedRows))).toEqual([1, 1]);
    expect((results[2]!.rows as Array<{ id: unknown }>).map((row) => Number(row.id))).toEqual([1, 2]);
    expect(await ids()).toEqual([1, 2]);
  });

  it('throws the first failure and runs nothing after it', async () => {
    // 3 is new, 1 is a duplicate key, 4 would be new: only 3 lands (no transaction around it).
    await expect(executeInOrder(store.db, [insert(3), insert(1), insert(4)])).rejects.toThrow();
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it('inside a transaction, a failure takes back the statements before it as well', async () => {
    await expect(
      store.transaction(async (writer) => {
        await executeInOrder(writer.db, [insert(5), insert(6)]);
        await executeInOrder(writer.db, [insert(7), insert(2), insert(8)]);
      }),
    ).rejects.toThrow();
    expect(await ids()).toEqual([1, 2, 3]);
  });
});
