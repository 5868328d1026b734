import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import type { LakeKysely } from './lake-kysely.js';

/**
 * A connection that takes several statements at once and runs them in order, stopping at the
 * first failure (the SQLite store's worker-thread connection: one message instead of one round
 * trip per statement).
 */
export interface BatchingConnection extends DatabaseConnection {
  executeBatch(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]>;
}

function isBatching(connection: DatabaseConnection): connection is BatchingConnection {
  return typeof (connection as Partial<BatchingConnection>).executeBatch === 'function';
}

/**
 * Runs statements one after another on one connection (the transaction's, inside one) and
 * returns their results in order; the first failure is thrown and the statements after it do
 * not run. A connection that takes batches gets them all in one go.
 */
export async function executeInOrder(
  db: LakeKysely,
  queries: readonly CompiledQuery[],
): Promise<QueryResult<unknown>[]> {
  if (queries.length === 1) return [await db.executeQuery(queries[0]!)];
  return await db.getExecutor().provideConnection(async (connection) => {
    if (isBatching(connection)) return await connection.executeBatch(queries);
    const results: QueryResult<unknown>[] = [];
    for (const query of queries) results.push(await connection.executeQuery(query));
    return results;
  });
}
