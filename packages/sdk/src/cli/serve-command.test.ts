import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLibrary, createLibraryConnector } from '../__fixtures__/library-connector.js';
import { strictProtocolMessages } from '../__fixtures__/strict-protocol-messages.js';
import { protocolMessagesOf } from '../protocol/parse-protocol-line.js';
import type { ProtocolMessage } from '../protocol/protocol-messages.js';
import { openStore, Store } from '../store/store.js';
import { runConnectorCli } from './run-connector-cli.js';

/** The messages of each request, split at its `request-end`. */
function requestsOf(messages: ProtocolMessage[]): ProtocolMessage[][] {
  const requests: ProtocolMessage[][] = [[]];
  for (const message of messages) {
    requests.at(-1)!.push(message);
    if (message.type === 'request-end') requests.push([]);
  }
  return requests.filter((request) => request.length > 0);
}

const request = (context: unknown, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ type: 'sync-request', context, ...extra })}\n`;

async function countRows(url: string, table: string): Promise<number> {
  const store = await openStore(url);
  try {
    const row = await store.db
      .selectFrom(table)
      .select((builder) => builder.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  } finally {
    await store.close();
  }
}

describe('serve: one connector process, many syncs', () => {
  let directory: string;
  const main = createLibrary(25);
  const second = createLibrary(10, 1, 1000);
  const connector = createLibraryConnector({ main, second });
  const first = { connection: { id: 1, token: 'good-token-first-1111' }, scope: { shelf: 'main' } };
  const other = { connection: { id: 2, token: 'good-token-other-2222' }, scope: { shelf: 'second' } };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-serve-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  /** Runs `serve --json` in-process on `input` (written as it is, then stdin ends unless `keepOpen`). */
  function serve(database: string, options: { signal?: AbortSignal; onStdout?: (text: string) => void } = {}) {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      options.onStdout?.(out);
    });
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = runConnectorCli(
      connector,
      { version: '1.2.3' },
      {
        argv: ['serve', '--json', '--db', database],
        stdin,
        stdout,
        stderr,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    return { stdin, code, stdout: () => out, stderr: () => err };
  }

  it('answers each request as sync would, then request-end; an invalid one does not end it; end of stdin exits 0 and closes the store', async () => {
    const database = `sqlite:${join(directory, 'two.db')}`;
    const close = vi.spyOn(Store.prototype, 'close');
    const process = serve(database);
    process.stdin.write(request(first));
    process.stdin.write(request({ connection: { id: 3 }, scope: {}, surprise: true }));
    process.stdin.write('{"type": "sync-request", "context": {"connection": {"token": "good-token-broken-9999"\n');
    process.stdin.end(request(other, { full: true }));
    expect(await process.code).toBe(0);
    expect(close).toHaveBeenCalledTimes(1);
    const requests = requestsOf(strictProtocolMessages(process.stdout()));
    expect(requests).toHaveLength(4);
    const [one, invalid, broken, two] = requests as [
      ProtocolMessage[],
      ProtocolMessage[],
      ProtocolMessage[],
      ProtocolMessage[],
    ];
    expect(one.at(-2)).toMatchObject({ type: 'result', command: 'sync', status: 'succeeded', scopeId: 'main' });
    expect(one.at(-1)).toEqual({ type: 'request-end', exitCode: 0 });
    // The migrations ran in the first request only: the process keeps its store.
    expect(one.some((message) => message.type === 'migrations')).toBe(true);
    expect(two.some((message) => message.type === 'migrations')).toBe(false);
    expect(invalid).toEqual([
      expect.objectContaining({ type: 'error', code: 'CONFIG_INVALID', message: expect.stringContaining('surprise') }),
      { type: 'request-end', exitCode: 2 },
    ]);
    expect(invalid[0]).toMatchObject({ message: expect.stringContaining('connection.token') });
    expect(broken).toEqual([
      expect.objectContaining({ type: 'error', code: 'CONTEXT_INVALID' }),
      { type: 'request-end', exitCode: 2 },
    ]);
    expect(two.at(-2)).toMatchObject({ type: 'result', status: 'succeeded', scopeId: 'second' });
    expect(two.find((message) => message.type === 'stream-start')).toMatchObject({ full: true });
    expect(two.at(-1)).toEqual({ type: 'request-end', exitCode: 0 });
    // Each request ran its own sync: its own run id, and its rows.
    expect(
      new Set([one, two].map((messages) => messages.find((message) => message.type === 'sync-start'))),
    ).toHaveProperty('size', 2);
    expect(await countRows(database, '_tool_library_books')).toBe(35);
    const printed = process.stdout() + process.stderr();
    for (const secret of ['good-token-first-1111', 'good-token-other-2222', 'good-token-broken-9999']) {
      expect(printed).not.toContain(secret);
    }
  });

  it('masks the secrets of every request served, in every later request too', async () => {
    const database = `sqlite:${join(directory, 'secrets.db')}`;
    main.failPages.set(1, 1);
    second.failPages.set(0, 1);
    const process = serve(database);
    process.stdin.write(request(first));
    process.stdin.end(request(other));
    expect(await process.code).toBe(0);
    const requests = requestsOf(strictProtocolMessages(process.stdout()));
    expect(requests.map((messages) => messages.at(-1))).toEqual([
      { type: 'request-end', exitCode: 1 },
      { type: 'request-end', exitCode: 1 },
    ]);
    // Both failures quote their token, masked.
    expect(process.stdout()).toContain('page 1 failed (token [redacted])');
    expect(process.stdout()).toContain('page 0 failed (token [redacted])');
    const printed = process.stdout() + process.stderr();
    expect(printed).not.toContain('good-token-first-1111');
    expect(printed).not.toContain('good-token-other-2222');
  });

  it('stops the current request after its batch when aborted, ends it, and exits 130 without reading on', async () => {
    const database = `sqlite:${join(directory, 'abort.db')}`;
    const controller = new AbortController();
    const process = serve(database, {
      signal: controller.signal,
      onStdout: (text) => {
        if (text.includes('"stream-start"')) controller.abort(new Error('interrupted by signal'));
      },
    });
    process.stdin.write(request(first));
    process.stdin.write(request(other));
    expect(await process.code).toBe(130);
    const requests = requestsOf(strictProtocolMessages(process.stdout()));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.at(-2)).toMatchObject({ type: 'result', status: 'aborted' });
    expect(requests[0]!.at(-1)).toEqual({ type: 'request-end', exitCode: 130 });
  });

  it('an idle serve exits 130 at once when aborted', async () => {
    const controller = new AbortController();
    const process = serve(`sqlite:${join(directory, 'idle.db')}`, { signal: controller.signal });
    setImmediate(() => controller.abort());
    expect(await process.code).toBe(130);
    expect(process.stdout()).toBe('');
  });

  it('info lists serve among the commands', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await runConnectorCli(
      connector,
      { version: '1.2.3' },
      {
        argv: ['info', '--json'],
        stdin: new PassThrough(),
        stdout,
        stderr: new PassThrough(),
      },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out).commands).toContain('serve');
  });
});

const dist = (file: string) => JSON.stringify(new URL(`../../dist/${file}`, import.meta.url).href);

/**
 * A connector binary that prints, in each sync, every token it has seen in this process (what
 * leaks across requests if the redactor forgot an earlier request's secrets), then collects
 * `scope.count` records `scope.delayMs` apart.
 */
const binary = `
const { main } = await import(${dist('cli.js')});
const { defineConnector, defineStream, defineToolTable, column, key, secret, z } = await import(${dist('index.js')});
const seen = [];
const table = defineToolTable()({ entity: 'ticks', columns: { scope: key(column.varchar()), id: key(column.bigint()) } });
const connector = defineConnector({
  contractVersion: '1.0.0',
  name: 'tick',
  description: 'counts',
  domainTypes: [],
  connection: z.object({ token: secret() }),
  scope: { schema: z.object({ name: z.string(), count: z.number(), delayMs: z.number() }), id: (scope) => scope.name, name: (scope) => scope.name },
  scopeConfig: z.object({}),
  client: ({ connection }) => ({ token: connection.token.reveal() }),
  async testConnection() { return { ok: true, message: 'ok' }; },
  domainScopes: () => [],
  streams: [
    defineStream({
      name: 'ticks',
      tables: [table],
      async *collect(context) {
        seen.push(context.client.token);
        console.log('tokens so far', seen.join(' '));
        console.error('pid', process.pid, 'tokens so far', seen.join(' '));
        for (let id = 1; id <= context.scope.count; id += 1) {
          await new Promise((resolve) => setTimeout(resolve, context.scope.delayMs));
          yield { data: { scope: context.scope.name, id } };
        }
      },
    }),
  ],
  migrations: { '0001-ticks': { up: (context) => context.createToolTable('ticks', { scope: key(column.varchar()), id: key(column.bigint()) }) } },
});
await main(connector, { version: '1.0.0' });
`;

describe('serve in a real connector process', () => {
  let directory: string;
  let cli: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-serve-process-'));
    cli = join(directory, 'cli.mjs');
    await writeFile(cli, binary);
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  function start(database: string) {
    const child = spawn(process.execPath, [cli, 'serve', '--json'], {
      env: { ...process.env, LAKE_DATABASE_URL: database },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, exit, stdout: () => stdout, stderr: () => stderr };
  }

  const tick = (token: string, name: string, count: number, delayMs = 0) =>
    request({ connection: { id: 1, token }, scope: { name, count, delayMs } });

  it('serves two syncs in one process, masking both tokens in everything it prints, and exits 0 at end of stdin', async () => {
    const database = `sqlite:${join(directory, 'two.db')}`;
    const served = start(database);
    served.child.stdin.write(tick('first-token-aaaa1111', 'a', 3));
    served.child.stdin.end(tick('second-token-bbbb2222', 'b', 4));
    expect(await served.exit).toBe(0);
    const ends = protocolMessagesOf(served.stdout()).filter(
      (message) => message.type === 'request-end' || message.type === 'result',
    );
    expect(ends).toEqual([
      expect.objectContaining({ type: 'result', status: 'succeeded', scopeId: 'a' }),
      { type: 'request-end', exitCode: 0 },
      expect.objectContaining({ type: 'result', status: 'succeeded', scopeId: 'b' }),
      { type: 'request-end', exitCode: 0 },
    ]);
    // The second sync printed both tokens (console.log and console.error): both masked.
    expect(served.stdout()).toContain('tokens so far [redacted] [redacted]\n');
    expect(served.stderr()).toContain('tokens so far [redacted] [redacted]\n');
    const printed = served.stdout() + served.stderr();
    expect(printed).not.toContain('first-token-aaaa1111');
    expect(printed).not.toContain('second-token-bbbb2222');
    // One process served both.
    expect(new Set([...served.stderr().matchAll(/pid (\d+)/g)].map((match) => match[1])).size).toBe(1);
    expect(await countRows(database, '_tool_tick_ticks')).toBe(7);
  });

  it('SIGTERM mid-request: the request stops after its batch, ends with 130, and the process exits 130', async () => {
    const database = `sqlite:${join(directory, 'term.db')}`;
    const served = start(database);
    served.child.stdin.write(tick('term-token-cccc3333', 'slow', 100_000, 5));
    served.child.stdin.write(tick('term-token-dddd4444', 'next', 1));
    await vi.waitFor(() => expect(served.stdout()).toContain('"stream-start"'), { timeout: 30_000, interval: 50 });
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(130);
    const messages = protocolMessagesOf(served.stdout());
    expect(messages.at(-2)).toMatchObject({ type: 'result', status: 'aborted', scopeId: 'slow' });
    expect(messages.at(-1)).toEqual({ type: 'request-end', exitCode: 130 });
    // The next request was never started.
    expect(messages.filter((message) => message.type === 'sync-start')).toHaveLength(1);
  });
});
