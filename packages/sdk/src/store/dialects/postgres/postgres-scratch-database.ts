import pg from 'pg';
import type { DialectTesting } from '../dialect-factory.js';

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh database on the test server of `LAKE_TEST_PG_URL`, dropped even while connections remain. */
export const postgresTesting: Pick<DialectTesting, 'createScratchDatabase'> = {
  async createScratchDatabase(name, serverUrl) {
    if (!serverUrl) throw new Error('[lake] LAKE_TEST_PG_URL is not set');
    await onServer(serverUrl, `CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  },
};
