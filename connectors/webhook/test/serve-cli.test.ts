import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@lake/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHA_A, TOKEN_ONE, TOKEN_TWO } from './support/webhook-lake.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
let workdir: string;

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'lake-webhook-cli-'));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
}

function serve(args: string[], context: string, env: NodeJS.ProcessEnv = {}): Served {
  const child = spawn(process.execPath, [cli, 'serve', ...args], {
    cwd: workdir,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stdin!.end(context);
  return { child, stderr: () => stderr, stdout: () => stdout };
}

async function listeningUrl(served: Served): Promise<string> {
  for (;;) {
    const match = /"url":"([^"]+)"/.exec(served.stderr());
    if (match) return match[1]!;
    if (served.child.exitCode !== null) throw new Error(`serve exited ${served.child.exitCode}: ${served.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('lake-connector-webhook serve', () => {
  it('receives posts until SIGTERM, logs each request without the token, and exits 0', async () => {
    const database = `sqlite:${join(workdir, 'lake.db')}`;
    const context = JSON.stringify({
      connections: [
        { id: 1, token: TOKEN_ONE },
        { id: 2, token: TOKEN_TWO },
      ],
    });
    const served = serve(['--port', '0', '--context', '-', '--json'], context, { LAKE_DATABASE_URL: database });
    const url = await listeningUrl(served);
    const post = (connection: number, token: string) =>
      fetch(`${url}/connections/${connection}/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'cli-1',
          startedDate: '2026-12-01T10:00:00Z',
          repoUrl: 'https://x.test/r',
          commitSha: SHA_A,
        }),
      });
    expect((await post(1, TOKEN_ONE)).status).toBe(201);
    expect((await post(2, TOKEN_TWO)).status).toBe(201);
    expect((await post(2, TOKEN_ONE)).status).toBe(401);
    served.child.kill('SIGTERM');
    const [code] = await once(served.child, 'exit');
    expect(code).toBe(0);
    const lines = served
      .stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; status?: number });
    expect(lines.map((line) => line.type)).toEqual(['listening', 'request', 'request', 'request', 'stopped']);
    expect(lines.filter((line) => line.type === 'request').map((line) => line.status)).toEqual([201, 201, 401]);
    expect(served.stderr() + served.stdout()).not.toContain(TOKEN_ONE);
    expect(served.stderr()).not.toContain(TOKEN_TWO);
    const store = await openStore(database);
    try {
      const rows = await store.db.selectFrom('cicd_deployments').select('id').orderBy('id').execute();
      expect(rows.map((row) => row.id)).toEqual([
        'webhook:WebhookDeployment:1:cli-1',
        'webhook:WebhookDeployment:2:cli-1',
      ]);
    } finally {
      await store.close();
    }
  });

  it('refuses a bad context with exit code 2, naming each bad field, before opening anything', async () => {
    const served = serve(
      ['--port', '0', '--context', '-', '--db', `sqlite:${join(workdir, 'never.db')}`],
      JSON.stringify({
        connections: [
          { id: 1, token: 'short' },
          { id: 0, token: TOKEN_TWO },
          { id: 5, token: TOKEN_ONE },
          { id: 5, token: TOKEN_TWO },
        ],
      }),
    );
    const [code] = await once(served.child, 'exit');
    expect(code).toBe(2);
    expect(served.stderr()).toContain('connections.0.token: must be at least 24 characters');
    expect(served.stderr()).toContain('connections.1.id');
    expect(served.stderr()).toContain('connections.3.id: connection 5 is listed twice');
    expect(served.stderr()).not.toContain(TOKEN_TWO);
    await expect(import('node:fs/promises').then((fs) => fs.access(join(workdir, 'never.db')))).rejects.toThrow();
  });

  it('prints its usage, and refuses bad options with exit code 2', async () => {
    const help = serve(['--help'], '');
    expect((await once(help.child, 'exit'))[0]).toBe(0);
    expect(help.stdout()).toContain('POST /connections/<id>/deployments');
    const badPort = serve(['--port', '70000', '--context', '-'], '{}');
    expect((await once(badPort.child, 'exit'))[0]).toBe(2);
    expect(badPort.stderr()).toContain('--port must be 0–65535');
    const noContext = serve(['--port', '0'], '');
    expect((await once(noContext.child, 'exit'))[0]).toBe(2);
    expect(noContext.stderr()).toContain('--context');
  });

  it('exits 1 when it cannot listen', async () => {
    const first = serve(
      ['--port', '0', '--context', '-', '--json', '--db', `sqlite:${join(workdir, 'a.db')}`],
      JSON.stringify({ connection: { id: 1, token: TOKEN_ONE } }),
    );
    const url = await listeningUrl(first);
    const port = new URL(url).port;
    const second = serve(
      ['--port', port, '--context', '-', '--db', `sqlite:${join(workdir, 'b.db')}`],
      JSON.stringify({ connection: { id: 1, token: TOKEN_ONE } }),
    );
    expect((await once(second.child, 'exit'))[0]).toBe(1);
    expect(second.stderr()).toContain('EADDRINUSE');
    first.child.kill('SIGTERM');
    expect((await once(first.child, 'exit'))[0]).toBe(0);
  });

  it('runs the connector CLI for every other command', async () => {
    const version = spawn(process.execPath, [cli, '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    version.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    expect((await once(version, 'exit'))[0]).toBe(0);
    expect(output.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
