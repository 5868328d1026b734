import type { DialectFactory } from '../dialect-factory.js';
import { mysqlTesting } from './mysql-scratch-database.js';
import { MysqlStoreDialect } from './mysql-store-dialect.js';

/** `mysql://…` or `mariadb://…` (MariaDB speaks the MySQL protocol; the driver takes `mysql:`). */
export const mysqlDialect: DialectFactory = {
  schemes: ['mysql:', 'mariadb:'],
  example: 'mysql://…',
  locate(url) {
    const parsed = new URL(url);
    parsed.protocol = 'mysql:';
    return { url: parsed.toString() };
  },
  create: (location) => new MysqlStoreDialect(location.url ?? ''),
  testing: mysqlTesting,
};
