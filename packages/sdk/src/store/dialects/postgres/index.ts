import type { DialectFactory } from '../dialect-factory.js';
import { postgresTesting } from './postgres-scratch-database.js';
import { PostgresStoreDialect } from './postgres-store-dialect.js';

/** `postgres://…` or `postgresql://…`, as libpq reads them. */
export const postgresDialect: DialectFactory = {
  schemes: ['postgres:', 'postgresql:'],
  example: 'postgres://…',
  locate(url) {
    new URL(url); // throws on what is not a URL at all
    return { url };
  },
  create: (location) => new PostgresStoreDialect(location.url ?? ''),
  testing: postgresTesting,
};
