/**
 * The thread that owns a SQLite store's one better-sqlite3 connection. better-sqlite3 runs
 * every statement synchronously: on the main thread, each write would block the event loop
 * that fetches and parses the next page. Here the writes run on a second core while the main
 * thread goes on; the main thread's driver (`worker-sqlite-driver.ts`) sends one statement at
 * a time and awaits its answer, so transactions and their order are exactly the caller's.
 *
 * Plain enough for Node's type stripping (the SDK's own tests run it from source): it imports
 * no file of this package, only types.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type {
  SqliteWorkerOptions,
  SqliteWorkerReply,
  SqliteWorkerRequest,
  StatementResult,
} from './sqlite-worker-protocol.js';

/** How many prepared statements stay cached; a sync sends the same few multi-row statements over and over. */
const STATEMENT_CACHE_SIZE = 64;

const { path, busyTimeoutMs } = workerData as SqliteWorkerOptions;
const port = parentPort!;

/**
 * `journal_mode = WAL` on a file other processes are opening and migrating at the same moment
 * can fail with SQLITE_BUSY without SQLite's busy handler ever waiting (seen with several
 * connector processes starting on one new file under load): retry for as long as the busy
 * timeout would have waited.
 */
function switchToWal(database: Database.Database): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

function open(): Database.Database {
  const database = new Database(path);
  // The busy timeout first: switching a new file to WAL needs a lock another process may hold.
  database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  switchToWal(database);
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = OFF');
  return database;
}

/**
 * Prepared statements in a small LRU cache: parsing a 1,000-row INSERT costs more than running
 * it, and a sync sends the same few thousands of times.
 */
class StatementCache {
  readonly #database: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(database: Database.Database) {
    this.#database = database;
  }

  get(sql: string): Database.Statement {
    const cached = this.#statements.get(sql);
    if (cached) {
      // Most recently used goes last; the first entry is the one to evict.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#database.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
    return statement;
  }

  clear(): void {
    this.#statements.clear();
  }
}

/** Whether a row holds a BLOB (a Buffer, which arrives on the other side as a plain Uint8Array). */
function holdsBytes(rows: readonly Record<string, unknown>[]): boolean {
  for (const row of rows) for (const key in row) if (row[key] instanceof Uint8Array) return true;
  return false;
}

let database: Database.Database | undefined;
let statements: StatementCache | undefined;
/** Open `iterate()` cursors of streamed selects, by stream id. */
const cursors = new Map<number, IterableIterator<unknown>>();

function run(sql: string, parameters: readonly unknown[]): StatementResult {
  const statement = statements!.get(sql);
  if (statement.reader) {
    const rows = statement.all(parameters) as Record<string, unknown>[];
    return { kind: 'rows', rows, bytes: holdsBytes(rows) };
  }
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { kind: 'changed', changes, lastInsertRowid: BigInt(lastInsertRowid) };
}

function answer(request: SqliteWorkerRequest): SqliteWorkerReply {
  switch (request.kind) {
    case 'open':
      database = open();
      statements = new StatementCache(database);
      return { id: request.id, kind: 'opened' };
    case 'query':
      return { id: request.id, ...run(request.sql, request.parameters) };
    case 'batch':
      return {
        id: request.id,
        kind: 'results',
        results: request.statements.map(({ sql, parameters }) => run(sql, parameters)),
      };
    case 'stream': {
      let cursor = cursors.get(request.streamId);
      if (!cursor) {
        const statement = statements!.get(request.sql);
        if (!statement.reader) throw new Error('SQLite can stream only statements that return rows');
        cursor = statement.iterate(request.parameters);
        cursors.set(request.streamId, cursor);
      }
      const rows: Record<string, unknown>[] = [];
      let done = false;
      while (rows.length < request.chunkSize) {
        const next = cursor.next();
        if (next.done) {
          done = true;
          break;
        }
        rows.push(next.value as Record<string, unknown>);
      }
      if (done) cursors.delete(request.streamId);
      return { id: request.id, kind: 'chunk', rows, bytes: holdsBytes(rows), done };
    }
    case 'end-stream':
      cursors.get(request.streamId)?.return?.();
      cursors.delete(request.streamId);
      return { id: request.id, kind: 'ended' };
    case 'close':
      for (const cursor of cursors.values()) cursor.return?.();
      cursors.clear();
      statements?.clear();
      database?.close();
      database = undefined;
      return { id: request.id, kind: 'closed' };
  }
}

port.on('message', (request: SqliteWorkerRequest) => {
  let reply: SqliteWorkerReply;
  try {
    reply = answer(request);
  } catch (error) {
    const { message, code, name } = error as { message?: string; code?: unknown; name?: string };
    reply = {
      id: request.id,
      kind: 'failed',
      name: name ?? 'Error',
      message: message ?? String(error),
      code: typeof code === 'string' ? code : undefined,
    };
  }
  port.postMessage(reply);
  if (reply.kind === 'closed') port.close();
});
