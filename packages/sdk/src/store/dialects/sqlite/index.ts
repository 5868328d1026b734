import { isAbsolute, resolve } from 'node:path';
import type { DialectFactory } from '../dialect-factory.js';

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
  // Drivers load when a database is opened, not when a URL is read.
  create: async (location) =>
    new (await import('./sqlite-store-dialect.js')).SqliteStoreDialect(location.path ?? ':memory:'),
  testing: {
    environmentVariable: undefined,
    createScratchDatabase: async (name, serverUrl) =>
      (await import('./sqlite-scratch-database.js')).sqliteTesting.createScratchDatabase(name, serverUrl),
  },
};
