import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, SelectQueryNode } from 'kysely';
import type { BatchingConnection } from '../../statement-batch.js';
import { SqliteWorkerClient } from './sqlite-worker-client.js';
import type { SqliteWorkerOptions, SqliteWorkerReply, StatementResult } from './sqlite-worker-protocol.js';

/**
 * Kysely's driver for a SQLite file whose one connection lives in a worker thread
 * (`sqlite-worker.ts`). Statements run on another core while the main thread goes on
 * fetching and parsing; each one is awaited, so a transaction is the same sequence of
 * statements on the same connection as with kysely's own (synchronous) SQLite driver:
 * `begin`, the caller's statements, `commit` or `rollback`. SQLite has one connection: a
 * mutex hands it to one user at a time, a transaction holding it to the end.
 */
export class WorkerSqliteDriver implements Driver {
  readonly #options: SqliteWorkerOptions;
  readonly #mutex = new ConnectionMutex();
  #client: SqliteWorkerClient | undefined;
  #connection: WorkerSqliteConnection | undefined;

  constructor(options: SqliteWorkerOptions) {
    this.#options = options;
  }

  async init(): Promise<void> {
    const client = new SqliteWorkerClient(this.#options);
    this.#client = client;
    try {
      await client.request({ kind: 'open' });
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    this.#connection = new WorkerSqliteConnection(client);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection!;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    await this.#client?.close();
  }
}

class WorkerSqliteConnection implements BatchingConnection {
  readonly #client: SqliteWorkerClient;
  #streams = 0;

  constructor(client: SqliteWorkerClient) {
    this.#client = client;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    return queryResult<R>(await this.#client.request({ kind: 'query', sql, parameters }));
  }

  /** Sends every statement in one message: the worker runs them back to back, none after a failure. */
  async executeBatch(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    const statements = queries.map(({ sql, parameters }) => ({ sql, parameters }));
    const reply = (await this.#client.request({ kind: 'batch', statements })) as Extract<
      SqliteWorkerReply,
      { kind: 'results' }
    >;
    return reply.results.map((result) => queryResult(result));
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query)) throw new Error('SQLite streams only select queries');
    const streamId = ++this.#streams;
    let done = false;
    try {
      while (!done) {
        const reply = (await this.#client.request({
          kind: 'stream',
          streamId,
          sql,
          parameters,
          chunkSize: Math.max(1, chunkSize),
        })) as Extract<SqliteWorkerReply, { kind: 'chunk' }>;
        done = reply.done;
        if (reply.rows.length > 0) yield { rows: (reply.bytes ? withBuffers(reply.rows) : reply.rows) as R[] };
      }
    } finally {
      if (!done) await this.#client.request({ kind: 'end-stream', streamId });
    }
  }
}

function queryResult<R>(result: SqliteWorkerReply | StatementResult): QueryResult<R> {
  if (result.kind === 'rows') return { rows: (result.bytes ? withBuffers(result.rows) : result.rows) as R[] };
  const { changes, lastInsertRowid } = result as Extract<StatementResult, { kind: 'changed' }>;
  return { numAffectedRows: BigInt(changes), insertId: lastInsertRowid, rows: [] };
}

/** BLOBs as better-sqlite3 returns them (Buffers); a Buffer crosses threads as a plain Uint8Array. */
function withBuffers(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (value instanceof Uint8Array && !Buffer.isBuffer(value))
        row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return rows;
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One user of the connection at a time. */
class ConnectionMutex {
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise<void>((resolve) => {
      this.#release = resolve;
    });
  }

  unlock(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}
