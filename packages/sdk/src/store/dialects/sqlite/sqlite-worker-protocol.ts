/** The messages between a SQLite store's driver (main thread) and its worker (`sqlite-worker.ts`). */

/** What the worker is started with (`workerData`). */
export interface SqliteWorkerOptions {
  /** The database file, or `:memory:`. */
  path: string;
  /** How long a statement waits for another process's lock. */
  busyTimeoutMs: number;
}

export type SqliteWorkerRequest =
  | { id: number; kind: 'open' }
  | { id: number; kind: 'query'; sql: string; parameters: readonly unknown[] }
  /** Statements run in order, none after the first that fails; one answer for all. */
  | { id: number; kind: 'batch'; statements: ReadonlyArray<{ sql: string; parameters: readonly unknown[] }> }
  /** The next `chunkSize` rows of a select; the first request naming a `streamId` starts it. */
  | { id: number; kind: 'stream'; streamId: number; sql: string; parameters: readonly unknown[]; chunkSize: number }
  /** Stops stream `streamId` before its last row. */
  | { id: number; kind: 'end-stream'; streamId: number }
  | { id: number; kind: 'close' };

export type SqliteWorkerReply =
  | { id: number; kind: 'opened' }
  /** A statement's rows (`bytes`: some are BLOBs, which cross threads as plain Uint8Arrays) or changes. */
  | ({ id: number } & StatementResult)
  | { id: number; kind: 'results'; results: StatementResult[] }
  | { id: number; kind: 'chunk'; rows: Record<string, unknown>[]; bytes: boolean; done: boolean }
  | { id: number; kind: 'ended' }
  | { id: number; kind: 'closed' }
  /** What better-sqlite3 threw: its name, message and SQLite error code (e.g. SQLITE_BUSY). */
  | { id: number; kind: 'failed'; name: string; message: string; code: string | undefined };

/** What one statement gave: its rows, or what it changed. */
export type StatementResult =
  | { kind: 'rows'; rows: Record<string, unknown>[]; bytes: boolean }
  | { kind: 'changed'; changes: number; lastInsertRowid: bigint };
