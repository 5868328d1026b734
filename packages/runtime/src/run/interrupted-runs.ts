import { hostname } from 'node:os';
import type { Store } from '@lake/sdk';
import { parseDatabaseUrl } from '@lake/sdk/host';
import { processIsAlive } from '../project/process-alive.js';
import { databaseExists, hasTable, readSqlite, toDate } from './run-records.js';

export interface ScopeIdentity {
  connector: string;
  connectionId: number;
  /** The connector's id of the scope, as `_lake_runs` holds it. */
  scopeId: string;
}

/** A lock holder that has not beaten for this long is presumed dead (the SDK's rule). */
const STALE_AFTER_MS = 120_000;

/**
 * Marks the runs a connector process left `running` as `interrupted` once that process is
 * gone: after the runtime saw it exit without a result, or — when `lake` itself was killed
 * with it — the next time `lake status` or `lake sync` looks, going by the scope lock the
 * process held (its host and pid, its heartbeat).
 */
export async function markInterruptedRuns(
  url: string,
  cwd: string,
  only?: ScopeIdentity,
  isAlive: (pid: number) => boolean = processIsAlive,
): Promise<number> {
  if (!(await mayHaveRunningRuns(url, cwd))) return 0;
  const { column, openStore } = await import('@lake/sdk');
  const store = await openStore(url, { cwd });
  try {
    let marked = 0;
    for (const scope of await interruptedScopes(store, only, isAlive)) {
      const result = await store.db
        .updateTable('_lake_runs')
        .set({ status: 'interrupted', finished_at: store.dialect.codec.encode(new Date(), column.datetime()) })
        .where('connector', '=', scope.connector)
        .where('connection_id', '=', scope.connectionId)
        .where('scope_id', '=', scope.scopeId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      marked += Number(result.numUpdatedRows ?? 0);
    }
    return marked;
  } finally {
    await store.close();
  }
}

/**
 * The scopes whose runs are recorded `running` while no process holds them: what
 * `markInterruptedRuns` would mark, found without writing anything (`lake status --read-only`,
 * the console).
 */
export async function findInterruptedScopes(
  url: string,
  cwd: string,
  isAlive: (pid: number) => boolean = processIsAlive,
): Promise<ScopeIdentity[]> {
  if (!(await mayHaveRunningRuns(url, cwd))) return [];
  const { openStore } = await import('@lake/sdk');
  const store = await openStore(url, { cwd });
  try {
    return await interruptedScopes(store, undefined, isAlive);
  } finally {
    await store.close();
  }
}

/** False when the lake surely has no `running` run: no database, or an SQLite file without one (a read-only look, without the SDK's store). */
async function mayHaveRunningRuns(url: string, cwd: string): Promise<boolean> {
  if (!(await databaseExists(url, cwd))) return false;
  const location = parseDatabaseUrl(url, cwd);
  if (location.dialect !== 'sqlite' || location.path === undefined || location.path === ':memory:') return true;
  const running = await readSqlite(
    location.path,
    (database) =>
      hasTable(database, '_lake_runs') &&
      database.prepare("SELECT 1 FROM _lake_runs WHERE status = 'running' LIMIT 1").get() !== undefined,
  );
  return running !== false;
}

/** The scopes with `running` runs (only `only`'s, when given) whose holder is gone; `only` is taken as gone. */
async function interruptedScopes(
  store: Store,
  only: ScopeIdentity | undefined,
  isAlive: (pid: number) => boolean,
): Promise<ScopeIdentity[]> {
  if (!(await store.tableExists('_lake_runs'))) return [];
  let select = store.db
    .selectFrom('_lake_runs')
    .select(['connector', 'connection_id', 'scope_id'])
    .where('status', '=', 'running')
    .distinct();
  if (only) {
    select = select
      .where('connector', '=', only.connector)
      .where('connection_id', '=', only.connectionId)
      .where('scope_id', '=', only.scopeId);
  }
  const scopes = (await select.execute()).map((row) => ({
    connector: String(row.connector),
    connectionId: Number(row.connection_id),
    scopeId: String(row.scope_id),
  }));
  const gone: ScopeIdentity[] = [];
  for (const scope of scopes) if (only || !(await holderAlive(store, scope, isAlive))) gone.push(scope);
  return gone;
}

async function holderAlive(store: Store, scope: ScopeIdentity, isAlive: (pid: number) => boolean): Promise<boolean> {
  if (!(await store.tableExists('_lake_locks'))) return false;
  const lock = (await store.db
    .selectFrom('_lake_locks')
    .selectAll()
    .where('connector', '=', scope.connector)
    .where('connection_id', '=', scope.connectionId)
    .where('scope_id', '=', scope.scopeId)
    .executeTakeFirst()) as Record<string, unknown> | undefined;
  // The SDK takes the lock before it records a run and drops it after: no lock, no runner.
  if (!lock) return false;
  if (String(lock.host) === hostname()) return isAlive(Number(lock.pid));
  const heartbeat = toDate(lock.heartbeat_at);
  return heartbeat !== null && Date.now() - heartbeat.getTime() < STALE_AFTER_MS;
}
