import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openStore } from '@lake/sdk';
import { isSyncResult, protocolMessagesOf } from '@lake/sdk/protocol';
import { afterAll, expect, it } from 'vitest';
import { servedIssues } from './serve-fake.js';

const fakeApiCli = fileURLToPath(new URL('../node_modules/@lake/testkit/dist/fake-api-cli.js', import.meta.url));
const serveModule = fileURLToPath(new URL('./serve-fake.ts', import.meta.url));
const connectorCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Whether the fake says it serves before it exits (what it printed goes to this process's stderr). */
async function servingOrExit(stderr: Readable): Promise<boolean> {
  for await (const line of createInterface({ input: stderr })) {
    if (line.includes('fake API serving on')) return true;
    process.stderr.write(`${line}\n`);
  }
  return false;
}

let directory: string | undefined;
afterAll(() => (directory ? rm(directory, { recursive: true, force: true }) : undefined));

// `lake-fake-api serve` runs the fake without vitest; the built CLI syncs every issue it serves.
it('serves the fake outside vitest for the standalone CLI', async () => {
  directory = await mkdtemp(join(tmpdir(), 'lake-gitlab-served-'));
  const contextFile = join(directory, 'context.json');
  const fake = spawn(process.execPath, [fakeApiCli, 'serve', serveModule, '--context-out', contextFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const served = await servingOrExit(fake.stderr);
    expect(served, 'the fake stopped before it served').toBe(true);
    const database = `sqlite:${join(directory, 'lake.db')}`;
    const sync = spawn(process.execPath, [connectorCli, 'sync', '--context', contextFile, '--db', database, '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    sync.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = await once(sync, 'exit');
    expect(code).toBe(0);
    expect(protocolMessagesOf(output).find(isSyncResult)).toMatchObject({ status: 'succeeded' });
    expect(JSON.parse(await readFile(contextFile, 'utf8')).connection.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const store = await openStore(database);
    try {
      const row = await store.db
        .selectFrom('issues')
        .select((builder) => builder.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      expect(Number(row.count)).toBe(servedIssues('small'));
    } finally {
      await store.close();
    }
  } finally {
    if (fake.exitCode === null && fake.signalCode === null) {
      fake.kill('SIGTERM');
      await once(fake, 'exit');
    }
  }
});
