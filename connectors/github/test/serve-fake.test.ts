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
import { afterAll, describe, expect, it } from 'vitest';
import { GithubDataset } from './fake-github/dataset.js';
import { servedDataset } from './fake-github/serve.js';

const fakeApiCli = fileURLToPath(new URL('../node_modules/@lake/testkit/dist/fake-api-cli.js', import.meta.url));
const serveModule = fileURLToPath(new URL('./fake-github/serve.ts', import.meta.url));
const connectorCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Whether the fake says it serves before it exits (what it printed goes to this process's stderr). */
async function servingOrExit(stderr: Readable): Promise<boolean> {
  for await (const line of createInterface({ input: stderr })) {
    if (line.includes('fake API serving on')) return true;
    process.stderr.write(`${line}\n`);
  }
  return false;
}

describe('the fake GitHub served outside vitest', () => {
  let directory: string | undefined;
  afterAll(() => (directory ? rm(directory, { recursive: true, force: true }) : undefined));

  it('serves a dataset the standalone CLI syncs in full, counted from the dataset', async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-github-served-'));
    const contextFile = join(directory, 'context.json');
    const fake = spawn(process.execPath, [fakeApiCli, 'serve', serveModule, '--context-out', contextFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const served = await servingOrExit(fake.stderr);
      expect(served, 'the fake stopped before it served').toBe(true);
      const context = JSON.parse(await readFile(contextFile, 'utf8'));
      expect(context.connection.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const database = join(directory, 'lake.db');
      const sync = await run([connectorCli, 'sync', '--context', contextFile, '--db', `sqlite:${database}`, '--json']);
      expect(sync.code, sync.stderr).toBe(0);
      expect(protocolMessagesOf(sync.stdout).find(isSyncResult)).toMatchObject({ status: 'succeeded' });

      const expected = new GithubDataset(servedDataset('small')).domainCounts();
      const store = await openStore(`sqlite:${database}`);
      try {
        const actual: Record<string, number> = {};
        for (const table of Object.keys(expected)) {
          const row = await store.db
            .selectFrom(table as never)
            .select((builder) => builder.fn.countAll<number>().as('count'))
            .executeTakeFirstOrThrow();
          actual[table] = Number(row.count);
        }
        expect(actual).toEqual(expected);
      } finally {
        await store.close();
      }
    } finally {
      fake.kill('SIGTERM');
      await once(fake, 'exit');
    }
  });
});
