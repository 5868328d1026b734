import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { LakeKysely } from '../../lake-kysely.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Type parsers local to Lake's pool: bigint and numeric come back as numbers, not strings. */
const lakeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (value: string) => Number.parseInt(value, 10);
    if (oid === NUMERIC_OID) return (value: string) => Number.parseFloat(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** A pool of at most ten connections to `url`, as kysely. */
export function openPostgresPool(url: string): LakeKysely {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: lakeTypes });
  // An idle client that errors (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}
