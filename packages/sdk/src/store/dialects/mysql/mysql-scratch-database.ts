import { createConnection } from 'mysql2/promise';
import type { DialectTesting } from '../dialect-factory.js';

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const connection = await createConnection({ uri: serverUrl });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** A fresh utf8mb4 database (binary collation, as Lake creates tables) on the server of `LAKE_TEST_MYSQL_URL`. */
export const mysqlTesting: Pick<DialectTesting, 'createScratchDatabase'> = {
  async createScratchDatabase(name, serverUrl) {
    if (!serverUrl) throw new Error('[lake] LAKE_TEST_MYSQL_URL is not set');
    await onServer(serverUrl, `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name}`) };
  },
};
