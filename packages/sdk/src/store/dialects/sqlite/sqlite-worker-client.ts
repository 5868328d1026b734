import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SqliteWorkerOptions, SqliteWorkerReply, SqliteWorkerRequest } from './sqlite-worker-protocol.js';

/** The worker's young generation, in MB. */
const WORKER_YOUNG_GENERATION_MB = 8;

/** A request without its id (the client numbers them). */
type Request = SqliteWorkerRequest extends infer Each
  ? Each extends { id: number }
    ? Omit<Each, 'id'>
    : never
  : never;

interface Pending {
  resolve: (reply: SqliteWorkerReply) => void;
  reject: (error: unknown) => void;
}

/**
 * The worker script: `sqlite-worker.js` beside the built module (dist/), or its TypeScript
 * source beside this file when the SDK runs from source (its own tests).
 */
function workerScript(): URL {
  const built = new URL('./sqlite-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built : new URL('./sqlite-worker.ts', import.meta.url);
}

/**
 * The main thread's end of a SQLite worker (`sqlite-worker.ts`): numbered requests, one answer
 * each, in order. The worker keeps the process alive only while a request is outstanding, so a
 * store nobody closed does not hold the process open, and one in use is never cut off.
 *
 *   const client = new SqliteWorkerClient({ path, busyTimeoutMs: 15_000 });
 *   await client.request({ kind: 'open' });
 *   const reply = await client.request({ kind: 'query', sql: 'select 1 as one', parameters: [] });
 */
export class SqliteWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Why the worker is gone, once it is. */
  #gone: Error | undefined;
  /** Set by `close`: the worker then keeps the process alive until its thread has ended. */
  #closing = false;

  constructor(options: SqliteWorkerOptions) {
    this.#worker = new Worker(workerScript(), {
      workerData: options,
      // The thread holds little (a batch's statements, briefly): V8's default heap sizing and a
      // small young generation, not the main thread's flags (SYNC_NODE_FLAGS let its heap grow
      // further before collecting), keep it from adding much to the process's RSS.
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    this.#worker.unref();
    this.#worker.on('message', (reply: SqliteWorkerReply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the SQLite worker thread exited (code ${code})`)));
  }

  /** Sends a request and resolves with its answer; a failure the worker reports rejects, as the driver's error. */
  request(request: Request): Promise<SqliteWorkerReply> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    return new Promise<SqliteWorkerReply>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id } as SqliteWorkerRequest);
    });
  }

  /** Closes the database and waits for the thread to end. */
  async close(): Promise<void> {
    if (this.#gone) return;
    this.#closing = true;
    this.#worker.ref();
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    await this.request({ kind: 'close' });
    await exited;
  }

  #settle(reply: SqliteWorkerReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0 && !this.#closing) this.#worker.unref();
    if (reply.kind === 'failed') pending.reject(driverError(reply));
    else pending.resolve(reply);
  }

  #fail(error: Error): void {
    this.#gone ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

/** better-sqlite3's error as the caller would have caught it on its own thread: name, message, `code`. */
function driverError(reply: Extract<SqliteWorkerReply, { kind: 'failed' }>): Error {
  const error = new Error(reply.message) as Error & { code?: string };
  error.name = reply.name;
  if (reply.code !== undefined) error.code = reply.code;
  return error;
}
