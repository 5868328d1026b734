import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore } from '@lake/sdk';
import { isSyncResult, parseProtocolLine, protocolMessagesOf } from '@lake/sdk/protocol';
import { snapshotLake } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GithubFixture, githubFixture } from './fixture.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

async function runCli(
  args: string[],
  killAfter?: number,
): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let progress = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    if (killAfter === undefined) return;
    const parsed = parseProtocolLine(line);
    if (parsed.ok && parsed.message.type === 'stream-progress' && ++progress === killAfter) child.kill('SIGKILL');
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code, signal, stdout };
}

describe('lake-connector-github', () => {
  let fixture: GithubFixture;
  let directory: string;
  let contextFile: string;
  beforeAll(async () => {
    fixture = await githubFixture({ issues: 3000, pullRequests: 60, commentsPerIssue: 1 });
    fixture.github.api.latencyMs = 2;
    directory = await mkdtemp(join(tmpdir(), 'lake-github-cli-'));
    contextFile = join(directory, 'context.json');
    await writeFile(contextFile, JSON.stringify({ ...fixture.context, options: { batchSize: 50 } }));
  });
  afterAll(async () => {
    await fixture.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('prints its info and checks the connection', async () => {
    const info = JSON.parse((await runCli(['info'])).stdout);
    expect(info.name).toBe('github');
    expect(info.schemas.connection.properties.tokens).toMatchObject({
      type: 'array',
      writeOnly: true,
      'x-lake-secret': true,
    });
    const check = await runCli(['test-connection', '--context', contextFile]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^ok: authenticated as alice/);
  });

  it('killed with SIGKILL mid-sync, resumes to what an uninterrupted sync writes', async () => {
    const clean = await runCli([
      'sync',
      '--context',
      contextFile,
      '--db',
      `sqlite:${join(directory, 'clean.db')}`,
      '--json',
    ]);
    expect(clean.code).toBe(0);
    const killedDatabase = join(directory, 'killed.db');
    const killed = await runCli(['sync', '--context', contextFile, '--db', `sqlite:${killedDatabase}`, '--json'], 20);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await runCli(['sync', '--context', contextFile, '--db', `sqlite:${killedDatabase}`, '--json']);
    expect(resumed.code).toBe(0);
    const result = protocolMessagesOf(resumed.stdout).findLast(isSyncResult);
    expect(result?.streams.some((stream) => stream.resumed)).toBe(true);
    const [expected, actual] = await Promise.all(
      [join(directory, 'clean.db'), killedDatabase].map(async (path) => {
        const store = await openStore(`sqlite:${path}`);
        try {
          return await snapshotLake(store, 'github');
        } finally {
          await store.close();
        }
      }),
    );
    expect(actual?.tables.issues).toHaveLength(3000);
    expect(actual).toEqual(expected);
  });
});
