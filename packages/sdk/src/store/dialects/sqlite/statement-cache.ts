import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 behind kysely's structural `SqliteDatabase`, with prepared statements kept
 * in a small LRU cache. Kysely prepares every query afresh; a sync sends the same few
 * multi-row upserts thousands of times, and parsing a 1,000-row INSERT costs more than
 * running it. Safe because kysely serialises all use of the single SQLite connection.
 */
export function withStatementCache(database: Database.Database, limit = 64): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached) {
        // Most recently used goes last; the first entry is the one to evict.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql) as unknown as SqliteStatement;
      statements.set(sql, statement);
      if (statements.size > limit) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
