import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runConnectorCli } from '../src/conformance/connector-cli.ts';

const cli = fileURLToPath(new URL('../dist/fake-api-cli.js', import.meta.url));
const serveNotes = fileURLToPath(new URL('./fixtures/serve-notes.ts', import.meta.url));
const notesCli = new URL('./fixtures/notes-cli.ts', import.meta.url);

describe('lake-fake-api', () => {
  const directories: string[] = [];
  afterAll(() => Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true }))));

  it('serves a connector fake outside vitest, for the standalone connector CLI, until SIGTERM', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lake-fake-api-'));
    directories.push(directory);
    const contextFile = join(directory, 'context.json');
    const child = spawn(process.execPath, [cli, 'serve', serveNotes, '--context-out', contextFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The fake says where it serves once it listens.
    const lines = createInterface({ input: child.stderr });
    for await (const line of lines) if (line.includes('fake API serving on')) break;
    const context = JSON.parse(await readFile(contextFile, 'utf8'));
    expect(context.connection.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sync = await runConnectorCli(
      { cli: notesCli },
      { directory, context, databaseUrl: `sqlite:${join(directory, 'lake.db')}` },
    );
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.result).toMatchObject({ type: 'result', status: 'succeeded' });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a module without serveFake and bad options, with exit code 2', async () => {
    const run = async (args: string[]) => {
      const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = await once(child, 'exit');
      return { code, stderr };
    };
    const notAFake = fileURLToPath(new URL('./fixtures/notes-connector.ts', import.meta.url));
    expect(await run(['serve', notAFake])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('does not export serveFake'),
    });
    expect(await run(['serve', serveNotes, '--size', 'huge'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--size'),
    });
    expect(await run(['serve', serveNotes, '--port', 'x'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--port'),
    });
    expect(await run(['list'])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage') });
  });
});
