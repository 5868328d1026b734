import { Kysely, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import type { LakeKysely } from '../../lake-kysely.js';

/** A pool of at most ten connections to `url`, as kysely: UTC datetimes, utf8mb4, numbers as numbers. */
export function openMysqlPool(url: string): LakeKysely {
  const pool = createPool({
    uri: url,
    connectionLimit: 10,
    timezone: 'Z',
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
  });
  return new Kysely({ dialect: new MysqlDialect({ pool }) });
}
