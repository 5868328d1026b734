import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openStore } from '@lake/sdk';
import { isSyncResult, type ProtocolSyncResult, protocolMessagesOf } from '@lake/sdk/protocol';

export interface ServedFakeSyncOptions {
  /** The module `lake-fake-api serve` loads: it starts the fake and returns the connection context. */
  serveModule: string;
  /** The connector's built CLI (`dist/cli.js`). */
  connectorCli: string;
  /** Tables whose rows are counted after the sync. */
  tables: readonly string[];
}

export interface ServedFakeSync {
  /** The connector CLI's exit code. */
  code: number | null;
  /** The sync's `result` message, when the CLI wrote one. */
  result: ProtocolSyncResult | undefined;
  /** The context file the fake wrote (its connection points at the fake's address). */
  context: { connection: Record<string, unknown>; scope: unknown };
  /** Rows per table named in the options, in the SQLite database the sync wrote. */
  rows: Record<string, number>;
}

const fakeApiCli = fileURLToPath(new URL('./fake-api-cli.js', import.meta.url));

/** Whether the fake says it serves before it exits (what it printed goes to this process's stderr). */
async function servingOrExit(stderr: Readable): Promise<boolean> {
  for await (const line of createInterface({ input: stderr })) {
    if (line.includes('fake API serving on')) return true;
    process.stderr.write(`${line}\n`);
  }
  return false;
}

async function runSync(connectorCli: string, contextFile: string, database: string) {
  const sync = spawn(process.execPath, [connectorCli, 'sync', '--context', contextFile, '--db', database, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  sync.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const [code] = (await once(sync, 'exit')) as [number | null];
  return { code, result: protocolMessagesOf(output).find(isSyncResult) };
}

async function countTables(database: string, tables: readonly string[]): Promise<Record<string, number>> {
  const store = await openStore(database);
  try {
    const rows: Record<string, number> = {};
    for (const table of tables) {
      const row = await store.db
        .selectFrom(table)
        .select((builder) => builder.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      rows[table] = Number(row.count);
    }
    return rows;
  } finally {
    await store.close();
  }
}

/**
 * Runs a connector as its users do without vitest: `lake-fake-api serve` starts the fake in
 * its own process and writes a context file, the connector's built CLI syncs from it into a
 * fresh SQLite database, and the named tables are counted. Everything is removed afterwards.
 */
export async function syncAgainstServedFake(options: ServedFakeSyncOptions): Promise<ServedFakeSync> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-served-fake-'));
  const contextFile = join(directory, 'context.json');
  const fake = spawn(process.execPath, [fakeApiCli, 'serve', options.serveModule, '--context-out', contextFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    if (!(await servingOrExit(fake.stderr)))
      throw new Error(`the fake of ${options.serveModule} stopped before it served`);
    const database = `sqlite:${join(directory, 'lake.db')}`;
    const { code, result } = await runSync(options.connectorCli, contextFile, database);
    const context = JSON.parse(await readFile(contextFile, 'utf8')) as ServedFakeSync['context'];
    return { code, result, context, rows: code === 0 ? await countTables(database, options.tables) : {} };
  } finally {
    if (fake.exitCode === null && fake.signalCode === null) {
      fake.kill('SIGTERM');
      await once(fake, 'exit');
    }
    await rm(directory, { recursive: true, force: true });
  }
}
