import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as publicSurface from '../src/index.js';
import { runServeCommand, type ServeIo } from '../src/serve-command.js';
import { SHA_A, TOKEN_ONE } from './support/webhook-lake.js';

let workdir: string;
beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'lake-webhook-serve-'));
});
afterAll(async () => {
  await rm(workdir, { recursive: true, force: true });
});

function io(stdinText = '', env: NodeJS.ProcessEnv = {}) {
  const controller = new AbortController();
  const output = { stdout: '', stderr: '' };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const serveIo: ServeIo = { stdin, stdout, stderr, env, signal: controller.signal };
  return { serveIo, controller, output };
}

describe('serve, in process', () => {
  it('listens, writes what it is posted, logs in words, and stops when aborted', async () => {
    const contextFile = join(workdir, 'context.json');
    await writeFile(contextFile, JSON.stringify({ connection: { id: 7, token: TOKEN_ONE } }));
    const { serveIo, controller, output } = io('', { LAKE_DATABASE_URL: `sqlite:${join(workdir, 'lake.db')}` });
    const running = runServeCommand(['--port', '0', '--context', contextFile, '--max-body-bytes', '2048'], serveIo);
    let url: string | undefined;
    while (url === undefined) {
      url = /listening on (\S+)/.exec(output.stderr)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const post = (body: string) =>
      fetch(`${url}/connections/7/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN_ONE}` },
        body,
      });
    const ok = JSON.stringify({
      id: 'in-process',
      startedDate: '2026-12-01T10:00:00Z',
      repoUrl: 'https://x.test/r',
      commitSha: SHA_A,
    });
    expect((await post(ok)).status).toBe(201);
    expect((await post(JSON.stringify({ id: 'big', name: 'x'.repeat(4096) }))).status).toBe(413);
    controller.abort();
    expect(await running).toBe(0);
    expect(output.stderr).toContain('for connection 7');
    expect(output.stderr).toMatch(/POST \/connections\/7\/deployments 201 \d+ ms/);
    expect(output.stderr).toMatch(/POST \/connections\/7\/deployments 413 WEBHOOK_BODY_TOO_LARGE \d+ ms/);
    expect(output.stderr).toContain('[webhook] stopped');
    expect(output.stderr).not.toContain(TOKEN_ONE);
  });

  it('answers usage errors with 2 and startup failures with 1', async () => {
    const help = io();
    expect(await runServeCommand(['--help'], help.serveIo)).toBe(0);
    expect(help.output.stdout).toContain('Usage: lake-connector-webhook serve');
    const unknownOption = io();
    expect(await runServeCommand(['--colour'], unknownOption.serveIo)).toBe(2);
    expect(unknownOption.output.stderr).toContain('--colour');
    const badLimit = io();
    expect(await runServeCommand(['--max-body-bytes', '0', '--context', '-'], badLimit.serveIo)).toBe(2);
    expect(badLimit.output.stderr).toContain('--max-body-bytes must be a positive integer');
    const notJson = io('{not json');
    expect(await runServeCommand(['--context', '-'], notJson.serveIo)).toBe(2);
    expect(notJson.output.stderr).toContain('invalid serve context: (root): not JSON');
    const empty = io('{}');
    expect(await runServeCommand(['--context', '-'], empty.serveIo)).toBe(2);
    expect(empty.output.stderr).toContain('connection: give connection or connections');
    const missingFile = io();
    expect(await runServeCommand(['--context', join(workdir, 'absent.json')], missingFile.serveIo)).toBe(2);
    expect(missingFile.output.stderr).toContain('absent.json');
    const unreachable = io(JSON.stringify({ connection: { id: 1, token: TOKEN_ONE } }));
    expect(
      await runServeCommand(
        ['--context', '-', '--port', '0', '--db', 'postgres://nobody@127.0.0.1:1/none'],
        unreachable.serveIo,
      ),
    ).toBe(1);
    expect(unreachable.output.stderr).toMatch(/\[webhook\] .+/);
    expect(unreachable.output.stderr).not.toContain(TOKEN_ONE);
  });
});

describe('public surface', () => {
  it('exports the connector, the receiver and the payload schemas', () => {
    expect(Object.keys(publicSurface).sort()).toEqual([
      'SERVE_USAGE',
      'WebhookError',
      'connectionsOf',
      'createWebhookReceiver',
      'default',
      'deploymentPayload',
      'incidentPayload',
      'migrateWebhookLake',
      'runServeCommand',
      'webhookConnector',
      'webhookIds',
    ]);
    expect(publicSurface.default).toBe(publicSurface.webhookConnector);
  });
});
