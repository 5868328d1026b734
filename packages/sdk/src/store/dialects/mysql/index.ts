import type { DialectFactory } from '../dialect-factory.js';

/** `mysql://…` or `mariadb://…` (MariaDB speaks the MySQL protocol; the driver takes `mysql:`). */
export const mysqlDialect: DialectFactory = {
  schemes: ['mysql:', 'mariadb:'],
  example: 'mysql://…',
  locate(url) {
    const parsed = new URL(url);
    parsed.protocol = 'mysql:';
    return { url: parsed.toString() };
  },
  // Drivers load when a database is opened, not when a URL is read.
  create: async (location) => new (await import('./mysql-store-dialect.js')).MysqlStoreDialect(location.url ?? ''),
  testing: {
    environmentVariable: 'LAKE_TEST_MYSQL_URL',
    createScratchDatabase: async (name, serverUrl) =>
      (await import('./mysql-scratch-database.js')).mysqlTesting.createScratchDatabase(name, serverUrl),
  },
};
