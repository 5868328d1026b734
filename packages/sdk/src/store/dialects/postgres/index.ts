import type { DialectFactory } from '../dialect-factory.js';

/** `postgres://…` or `postgresql://…`, as libpq reads them. */
export const postgresDialect: DialectFactory = {
  schemes: ['postgres:', 'postgresql:'],
  example: 'postgres://…',
  locate(url) {
    new URL(url); // throws on what is not a URL at all
    return { url };
  },
  // Drivers load when a database is opened, not when a URL is read.
  create: async (location) =>
    new (await import('./postgres-store-dialect.js')).PostgresStoreDialect(location.url ?? ''),
  testing: {
    environmentVariable: 'LAKE_TEST_PG_URL',
    createScratchDatabase: async (name, serverUrl) =>
      (await import('./postgres-scratch-database.js')).postgresTesting.createScratchDatabase(name, serverUrl),
  },
};
