import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { column, key } from '../domain/columns.js';
import { LakeError } from '../errors/lake-error.js';
import type { Store } from '../store/store.js';
import type { TableShape } from '../store/table-shape.js';

const HEARTBEAT_MS = 20_000;
/** A holder that has not beaten for this long is presumed dead (crashed machine, frozen VM). */
const STALE_AFTER_MS = 120_000;

const LOCK_SHAPE: TableShape = {
  name: '_lake_locks',
  columns: {
    connector: key(column.varchar(100)),
    connection_id: key(column.bigint()),
    scope_id: key(column.varchar(255)),
    owner: column.varchar(255),
    host: column.varchar(255),
    pid: column.bigint(),
    acquired_at: column.datetime(),
    heartbeat_at: column.datetime(),
  },
  keys: ['connector', 'connection_id', 'scope_id'],
};

export interface ScopeLockKey {
  connector: string;
  connectionId: number;
  scopeId: string;
}

export interface ScopeLock {
  /** True when the previous holder died mid-sync (its runs are then marked interrupted). */
  readonly tookOverFromDeadHolder: boolean;
  release(): Promise<void>;
}

/**
 * One sync per scope at a time, across processes and machines sharing a database. A holder
 * that died (same host and its pid is gone, or no heartbeat for two minutes) is taken over,
 * so a sync killed with SIGKILL can be resumed at once.
 */
export async function acquireScopeLock(store: Store, lockKey: ScopeLockKey): Promise<ScopeLock> {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const now = new Date();
  const row = {
    connector: lockKey.connector,
    connection_id: lockKey.connectionId,
    scope_id: lockKey.scopeId,
    owner,
    host: hostname(),
    pid: process.pid,
    acquired_at: now,
    heartbeat_at: now,
  };
  const where = store.db
    .selectFrom('_lake_locks')
    .selectAll()
    .where('connector', '=', lockKey.connector)
    .where('connection_id', '=', lockKey.connectionId)
    .where('scope_id', '=', lockKey.scopeId);

  let tookOver = false;
  const existing = await where.executeTakeFirst();
  if (existing) {
    if (!holderIsDead(existing)) {
      throw new LakeError(
        'SCOPE_LOCKED',
        `scope ${lockKey.scopeId} is being synced by another process (${existing.host} pid ${existing.pid}, since ${String(existing.acquired_at)})`,
        { source: lockKey.connector, details: { holder: existing.owner } },
      );
    }
    const result = await store.db
      .updateTable('_lake_locks')
      .set({ ...toDatabaseRow(store, row) })
      .where('connector', '=', lockKey.connector)
      .where('connection_id', '=', lockKey.connectionId)
      .where('scope_id', '=', lockKey.scopeId)
      .where('owner', '=', existing.owner)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return acquireScopeLock(store, lockKey);
    tookOver = true;
  } else {
    try {
      await store.db.insertInto('_lake_locks').values(toDatabaseRow(store, row)).execute();
    } catch {
      // Someone inserted between our read and write: try again, which reports them.
      return acquireScopeLock(store, lockKey);
    }
  }

  const heartbeat = setInterval(() => {
    store.db
      .updateTable('_lake_locks')
      .set({ heartbeat_at: store.dialect.codec.encode(new Date(), column.datetime()) })
      .where('owner', '=', owner)
      .execute()
      .catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    tookOverFromDeadHolder: tookOver,
    async release() {
      clearInterval(heartbeat);
      await store.db.deleteFrom('_lake_locks').where('owner', '=', owner).execute();
    },
  };
}

function toDatabaseRow(store: Store, row: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row))
    result[name] = store.dialect.codec.encode(value, LOCK_SHAPE.columns[name]);
  return result;
}

function holderIsDead(holder: Record<string, unknown>): boolean {
  const heartbeat = new Date(holder.heartbeat_at as string | Date).getTime();
  if (Date.now() - heartbeat > STALE_AFTER_MS) return true;
  if (holder.host !== hostname()) return false;
  const pid = Number(holder.pid);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
