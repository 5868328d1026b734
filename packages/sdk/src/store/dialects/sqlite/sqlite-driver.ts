import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type DialectAdapter, Kysely, type MigrationLockOptions, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import type { LakeKysely } from '../../lake-kysely.js';
import { withStatementCache } from './statement-cache.js';

/** How long a connection waits for another process's lock. */
const BUSY_TIMEOUT_MS = 15_000;

/**
 * `journal_mode = WAL` on a file other processes are opening and migrating at the same moment
 * can fail with SQLITE_BUSY without SQLite's busy handler ever waiting (seen with several
 * connector processes starting on one new file under load): retry for as long as the busy
 * timeout would have waited.
 */
function switchToWal(database: Database.Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      // A synchronous pause: opening a store is synchronous in kysely's dialect factory.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/** Opens (creating when missing) the SQLite file at `path` as kysely. */
export function openSqliteDatabase(path: string): LakeKysely {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  // The busy timeout first: switching a new file to WAL needs a lock another process may hold.
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  switchToWal(database);
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = OFF');
  return new Kysely({ dialect: new ProcessSafeSqliteDialect({ database: withStatementCache(database) }) });
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

class ProcessSafeSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new ProcessSafeSqliteAdapter();
  }
}
