import { type DialectName, openStore, runMigrations, SDK_MIGRATIONS, Secret, type Store } from '@lake/sdk';
import { createScratchDatabase, type ScratchDatabase } from '@lake/testkit';
import { migrations } from '../../src/migrations/index.js';
import { createWebhookReceiver, type RequestLogEntry, type WebhookReceiver } from '../../src/receiver/receiver.js';

export const TOKEN_ONE = 'tok-one-7f3a9c2e5b8d1f4a6c0e9b2d';
export const TOKEN_TWO = 'tok-two-1b4e7a0d3c6f9e2b5a8d1c4f';

/** A migrated scratch lake of one dialect with a receiver on 127.0.0.1 for connections 1 and 2. */
export interface WebhookLake {
  store: Store;
  /** The scratch database's URL, for a second store on the same lake. */
  databaseUrl: string;
  url: string;
  log: RequestLogEntry[];
  receiver: WebhookReceiver;
  post(path: string, body: unknown, token?: string, headers?: Record<string, string>): Promise<Answer>;
  count(table: string, where?: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function startWebhookLake(
  dialect: DialectName,
  options: { maxBodyBytes?: number } = {},
): Promise<WebhookLake> {
  const database: ScratchDatabase = await createScratchDatabase(dialect);
  const store = await openStore(database.url);
  await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  await runMigrations(store, 'webhook', migrations);
  const log: RequestLogEntry[] = [];
  const receiver = createWebhookReceiver({
    store,
    connections: [
      { id: 1, token: new Secret(TOKEN_ONE) },
      { id: 2, token: new Secret(TOKEN_TWO) },
    ],
    log: (entry) => log.push(entry),
    ...options,
  });
  const { url } = await receiver.listen(0);
  return {
    store,
    databaseUrl: database.url,
    url,
    log,
    receiver,
    async post(path, body, token = TOKEN_ONE, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as Record<string, unknown>,
      };
    },
    async count(table, where = {}) {
      let query = store.db.selectFrom(table);
      for (const [column, value] of Object.entries(where)) query = query.where(column, '=', value);
      const row = await query.select((builder) => builder.fn.countAll().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async close() {
      await receiver.close();
      await store.close();
      await database.drop();
    },
  };
}

/** Every text value of every row of the given tables, for secret scans. */
export async function allText(store: Store, tables: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) {
    for (const row of await store.db.selectFrom(table).selectAll().execute()) parts.push(JSON.stringify(row));
  }
  return parts.join('\n');
}

export const SHA_A = 'a'.repeat(40);
export const SHA_B = 'b'.repeat(40);
export const SHA_C = 'c'.repeat(40);
