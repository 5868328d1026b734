import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  Kysely,
  type MigrationLockOptions,
  type QueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import type { LakeKysely } from '../../lake-kysely.js';
import { WorkerSqliteDriver } from './worker-sqlite-driver.js';

/** How long a connection waits for another process's lock. */
const BUSY_TIMEOUT_MS = 15_000;

/**
 * Opens (creating when missing) the SQLite file at `path` as kysely. The connection lives in a
 * worker thread (`sqlite-worker.ts`, which also sets the pragmas: WAL, synchronous=NORMAL, the
 * busy timeout): its statements run beside the main thread instead of blocking it.
 */
export function openSqliteDatabase(path: string): LakeKysely {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return new Kysely({ dialect: new ProcessSafeSqliteDialect(path) });
}

/**
 * Kysely's SQLite adapter takes no migration lock and runs migrations outside a transaction:
 * it assumes one process. Two connector processes migrating one database file at once
 * (scopes synced in parallel) would both read "not applied", and the second would fail on a
 * table the first created. `BEGIN IMMEDIATE` takes SQLite's write lock before anything is
 * read, so the second waits (busy_timeout) and then finds the first's migrations applied.
 */
class ProcessSafeSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    await sql`begin immediate`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    try {
      await sql`commit`.execute(db);
    } catch (error) {
      // Acquiring failed, so there is nothing to commit; anything else is a real failure.
      if (!/no transaction is active/i.test((error as Error).message)) throw error;
    }
  }
}

/** Kysely's SQLite dialect, with the worker-thread driver and the process-safe migration lock. */
class ProcessSafeSqliteDialect implements Dialect {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  createDriver(): Driver {
    return new WorkerSqliteDriver({ path: this.#path, busyTimeoutMs: BUSY_TIMEOUT_MS });
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new ProcessSafeSqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
