import type { DialectFactory } from './dialect-factory.js';
import { mysqlDialect } from './mysql/index.js';
import { postgresDialect } from './postgres/index.js';
import { sqliteDialect } from './sqlite/index.js';

/**
 * Every dialect Lake opens, by name. A new dialect is a folder beside these and one line here:
 * its name comes from its key, and the compiler names whatever its factory or its
 * `StoreDialect` lacks (`registry.test.ts` proves it). Nothing else branches on a name.
 */
export const DIALECTS = {
  sqlite: sqliteDialect,
  postgres: postgresDialect,
  mysql: mysqlDialect,
} as const satisfies Record<string, DialectFactory>;

export type DialectName = keyof typeof DIALECTS;

/** The registered names, in registry order (SQLite, the embedded default, first). */
export const DIALECT_NAMES = Object.keys(DIALECTS) as DialectName[];
