import { access } from 'node:fs/promises';
import type { Store } from '@lake/sdk';
import { parseDatabaseUrl, Redactor } from '@lake/sdk/host';

export interface RunnerFailure {
  connector: string;
  version: string;
  connectionId: number;
  scopeId: string;
  full: boolean;
  startedAt: Date;
  status: 'failed' | 'aborted' | 'succeeded' | 'skipped';
  /** Already scrubbed of secrets. */
  error: string;
}

/**
 * A run the connector could not record itself (it crashed, was killed, or refused its
 * context): one `_lake_runs` row for the whole scope, stream `*`.
 */
export async function recordRunnerFailure(url: string, cwd: string, failure: RunnerFailure): Promise<void> {
  // The SDK's store (kysely and the drivers) is loaded when a database is opened, not with
  // this module: `lake status` on a project that has not synced yet never pays for it.
  const [{ openStore, runMigrations, SDK_MIGRATIONS }, { RunRecorder }] = await Promise.all([
    import('@lake/sdk'),
    import('@lake/sdk/store'),
  ]);
  const store = await openStore(url, { cwd });
  try {
    await runMigrations(store, 'sdk', SDK_MIGRATIONS);
    const recorder = new RunRecorder(
      store,
      {
        // node:crypto at first use: `lake status` loads this module and never records a run.
        syncId: process.getBuiltinModule('node:crypto').randomUUID(),
        connector: failure.connector,
        connectorVersion: failure.version,
        connectionId: failure.connectionId,
        scopeId: failure.scopeId,
      },
      new Redactor(),
    );
    await recorder.recordEnded(
      '*',
      failure.full,
      failure.status === 'aborted' ? 'aborted' : 'failed',
      failure.startedAt,
      failure.error.slice(0, 4000),
    );
  } finally {
    await store.close();
  }
}

export interface RunRow {
  syncId: string;
  connector: string;
  version: string;
  connectionId: number;
  scopeId: string;
  stream: string;
  full: boolean;
  startedAt: Date;
  finishedAt: Date | null;
  records: number;
  status: string;
  error: string;
}

export interface RecentRunsQuery {
  limit: number;
  connector?: string;
  connectionId?: number;
}

/**
 * Whether the database exists, without creating it: opening an SQLite file creates it, and
 * commands that only look (`status`, `doctor`) must not leave one behind.
 */
export async function databaseExists(url: string, cwd: string): Promise<boolean> {
  const location = parseDatabaseUrl(url, cwd);
  // Only an embedded database has a file to look for; a server's database is the server's business.
  if (location.path === undefined || location.path === ':memory:') return true;
  return access(location.path).then(
    () => true,
    () => false,
  );
}

/** The latest runs, newest first. An empty list when nothing has run yet. */
export async function recentRuns(url: string, cwd: string, query: RecentRunsQuery): Promise<RunRow[]> {
  if (!(await databaseExists(url, cwd))) return [];
  const location = parseDatabaseUrl(url, cwd);
  // The embedded default is read with better-sqlite3 alone: `lake status` reads a few rows.
  if (location.dialect === 'sqlite' && location.path !== undefined && location.path !== ':memory:') {
    const rows = await readSqlite<Array<Record<string, unknown>>>(location.path, (database) => {
      if (!hasTable(database, '_lake_runs')) return [];
      const filters = [
        ...(query.connector !== undefined ? ['connector = @connector'] : []),
        ...(query.connectionId !== undefined ? ['connection_id = @connectionId'] : []),
      ];
      const where = filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : '';
      return database
        .prepare(`SELECT * FROM _lake_runs ${where} ORDER BY started_at DESC, stream ASC LIMIT @limit`)
        .all({ ...query }) as Array<Record<string, unknown>>;
    });
    if (rows) return rows.map(runRow);
  }
  const { openStore } = await import('@lake/sdk');
  const store = await openStore(url, { cwd });
  try {
    if (!(await store.tableExists('_lake_runs'))) return [];
    return await selectRuns(store, query);
  } finally {
    await store.close();
  }
}

/** What an SQLite database answers `read`, opened read-only; undefined if it cannot be opened so (the store's way then). */
export async function readSqlite<T>(path: string, read: (database: SqliteReader) => T): Promise<T | undefined> {
  // better-sqlite3 alone, without the SDK's store (kysely): `lake status` reads a few rows.
  let database: SqliteReader;
  try {
    const { default: Database } = await import('better-sqlite3');
    database = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return undefined;
  }
  try {
    return read(database);
  } catch {
    return undefined;
  } finally {
    database.close();
  }
}

/** The part of better-sqlite3's database `readSqlite` uses. */
export interface SqliteReader {
  prepare(sql: string): {
    all(parameters?: Record<string, unknown>): unknown[];
    get(...parameters: unknown[]): unknown;
  };
  close(): void;
}

export function hasTable(database: SqliteReader, table: string): boolean {
  return database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

async function selectRuns(store: Store, query: RecentRunsQuery): Promise<RunRow[]> {
  let select = store.db
    .selectFrom('_lake_runs')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('stream', 'asc')
    .limit(query.limit);
  if (query.connector !== undefined) select = select.where('connector', '=', query.connector);
  if (query.connectionId !== undefined) select = select.where('connection_id', '=', query.connectionId);
  return ((await select.execute()) as Array<Record<string, unknown>>).map(runRow);
}

function runRow(row: Record<string, unknown>): RunRow {
  return {
    syncId: String(row.sync_id),
    connector: String(row.connector),
    version: String(row.connector_version),
    connectionId: Number(row.connection_id),
    scopeId: String(row.scope_id),
    stream: String(row.stream),
    full: Boolean(Number(row.full_sync)),
    startedAt: toDate(row.started_at) ?? new Date(0),
    finishedAt: toDate(row.finished_at),
    records: Number(row.records),
    status: String(row.status),
    error: String(row.error ?? ''),
  };
}

/** A datetime as any of the three dialects returns it. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value;
  const text = String(value);
  // SQLite and MySQL text datetimes carry no zone; Lake writes them in UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
