import { isAbsolute, resolve } from 'node:path';
import type { DialectFactory } from '../dialect-factory.js';
import { sqliteTesting } from './sqlite-scratch-database.js';
import { SqliteStoreDialect } from './sqlite-store-dialect.js';

/**
 * `sqlite:<path>`, relative to the working directory or absolute (`sqlite:///abs/path`);
 * `sqlite::memory:` for an in-memory database.
 */
export const sqliteDialect: DialectFactory = {
  schemes: ['sqlite:'],
  example: 'sqlite:<path>',
  locate(url, cwd) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2); // sqlite:///abs/path
    if (path === '') return 'sqlite: needs a file path, e.g. sqlite:.lake/lake.db';
    if (path === ':memory:') return { path };
    return { path: isAbsolute(path) ? path : resolve(cwd, path) };
  },
  create: (location) => new SqliteStoreDialect(location.path ?? ':memory:'),
  testing: sqliteTesting,
};
