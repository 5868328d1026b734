import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import type { DialectName } from '../store/database-url.js';

/** A throwaway database: a SQLite file, or a fresh PostgreSQL / MySQL database on the test servers. */
export interface ScratchDatabase {
  dialect: DialectName;
  url: string;
  drop(): Promise<void>;
}

const ENVIRONMENT: Record<Exclude<DialectName, 'sqlite'>, string> = {
  postgres: 'LAKE_TEST_PG_URL',
  mysql: 'LAKE_TEST_MYSQL_URL',
};

/**
 * The dialects database tests loop over: SQLite always, PostgreSQL and MySQL when their URL
 * is set (`LAKE_TEST_PG_URL`, `LAKE_TEST_MYSQL_URL`). With `CI=true` a missing URL is an
 * error, not a skip: CI must prove all three.
 *
 *   describe.each(testDialects())('store on %s', (dialect) => { … });
 */
export function testDialects(environment: NodeJS.ProcessEnv = process.env): DialectName[] {
  const dialects: DialectName[] = ['sqlite'];
  for (const [dialect, variable] of Object.entries(ENVIRONMENT) as Array<[DialectName, string]>) {
    if (environment[variable]) {
      dialects.push(dialect);
    } else if (environment.CI === 'true') {
      throw new Error(
        `[lake] ${variable} is not set; CI runs every database suite on ${dialect} too (see DEVELOPERS.md)`,
      );
    } else {
      process.emitWarning(`${variable} is not set: skipping the ${dialect} variant of database tests`, {
        code: 'LAKE_TEST',
      });
    }
  }
  return dialects;
}

/** Creates an empty database of `dialect`; `drop()` removes it. */
export async function createScratchDatabase(dialect: DialectName, environment = process.env): Promise<ScratchDatabase> {
  const name = `lake_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (dialect === 'sqlite') {
    const directory = await mkdtemp(join(tmpdir(), 'lake-test-'));
    return {
      dialect,
      url: `sqlite:${join(directory, 'lake.db')}`,
      drop: () => rm(directory, { recursive: true, force: true }),
    };
  }
  const serverUrl = environment[ENVIRONMENT[dialect]];
  if (!serverUrl) throw new Error(`[lake] ${ENVIRONMENT[dialect]} is not set`);
  const url = new URL(serverUrl);
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    url.pathname = `/${name}`;
    return {
      dialect,
      url: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const admin = await createConnection({ uri: serverUrl });
  try {
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    async drop() {
      const connection = await createConnection({ uri: serverUrl });
      try {
        await connection.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await connection.end();
      }
    },
  };
}
