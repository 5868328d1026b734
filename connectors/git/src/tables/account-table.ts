import { column, defineToolTable, domainRecord, key } from '@lake/sdk';
import { fitToLength } from '../fit-length.js';
import type { GitTypes } from '../settings.js';
import { VARCHAR_LENGTH } from './table-columns.js';

/** Authors and committers, one row per e-mail address (lower-cased). */
export const accountsTable = defineToolTable<GitTypes>()({
  entity: 'accounts',
  columns: {
    email: key(column.varchar(255)),
    name: column.varchar(),
  },
  produces: ['accounts'],
  *convert(row, context) {
    // The id (`git:GitAccount:<connection>:<email>`) is varchar(255) too.
    const idLength = VARCHAR_LENGTH - context.ids.prefix('GitAccount').length;
    yield domainRecord('accounts', {
      id: context.ids.of('GitAccount', fitToLength(String(row.email), idLength)),
      email: String(row.email),
      full_name: row.name,
      user_name: row.name,
      status: 0,
    });
  },
});
