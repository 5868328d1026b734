import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, createLibraryConnector } from '../__fixtures__/library-connector.js';
import { strictProtocolMessages } from '../__fixtures__/strict-protocol-messages.js';
import { runConnectorCli } from './run-connector-cli.js';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('the connector CLI', () => {
  let directory: string;
  const connector = createLibraryConnector(createLibrary(25));
  const context = { connection: { id: 1, token: 'good-token-1234' }, scope: { shelf: 'main' } };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-cli-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  async function cli(argv: string[], stdin = '') {
    const stdout = capture();
    const stderr = capture();
    const code = await runConnectorCli(
      connector,
      { version: '9.8.7' },
      {
        argv,
        stdin: Readable.from([stdin]),
        stdout: stdout.stream,
        stderr: stderr.stream,
      },
    );
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('prints help and version', async () => {
    expect((await cli(['--help'])).stdout).toContain('Usage: lake-connector-library <command>');
    expect((await cli([])).stdout).toContain('Commands:');
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: '9.8.7\n' });
  });

  it('info marks secrets in the connection schema', async () => {
    const { code, stdout } = await cli(['info', '--json']);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.version).toBe('9.8.7');
    expect(info.schemas.connection.properties.token).toMatchObject({ writeOnly: true, 'x-lake-secret': true });
    expect(info.schemas.connection.required).toEqual(['token', 'id']);
    expect(info.streams.find((stream: { name: string }) => stream.name === 'loans')).toMatchObject({
      kind: 'substream',
      parent: 'books',
      incremental: true,
      rawTable: '_raw_library_loans',
      toolTables: ['_tool_library_loans'],
      domainTables: ['issue_assignees'],
    });
  });

  it('syncs into the named database and prints a summary table; --json prints events and a result', async () => {
    const database = `sqlite:${join(directory, 'lake.db')}`;
    const human = await cli(['sync', '--context', '-', '--db', database], JSON.stringify(context));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/library · shelf main · succeeded/);
    expect(human.stdout).toMatch(/books\s+succeeded\s+25/);
    expect(human.stderr).toContain('books: succeeded, 25 records');

    const json = await cli(['sync', '--context', '-', '--db', database, '--json', '--full'], JSON.stringify(context));
    const lines = strictProtocolMessages(json.stdout);
    expect(lines.map((line) => line.type)).toEqual(
      expect.arrayContaining(['sync-start', 'stream-start', 'stream-end', 'result']),
    );
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'succeeded' });
    // The process's peak RSS rides along, so that a caller can hold a connector to a memory budget.
    const peak = (lines.at(-1) as { peakRssMB?: number }).peakRssMB;
    expect(peak).toBeGreaterThan(10);
    expect(peak).toBeLessThan(4096);
    expect(json.stdout).not.toContain('good-token-1234');
  });

  it('reads the context from a file, runs single phases and selected streams', async () => {
    const file = join(directory, 'context.json');
    await writeFile(file, JSON.stringify(context));
    const database = `sqlite:${join(directory, 'phases.db')}`;
    expect((await cli(['collect', 'books', '--context', file, '--db', database])).code).toBe(0);
    expect((await cli(['extract', 'books', '--context', file, '--db', database])).code).toBe(0);
    const convert = await cli(['convert', 'books', '--context', file, '--db', database, '--json']);
    expect(strictProtocolMessages(convert.stdout).at(-1)).toMatchObject({
      status: 'succeeded',
      streams: [{ name: 'books', records: 25, domainRows: 25 }],
    });
    const selected = await cli(['sync', '--context', file, '--db', database, '--stream', 'authors', '--json']);
    const selectedResult = strictProtocolMessages(selected.stdout).at(-1);
    expect(
      selectedResult?.type === 'result' && selectedResult.command === 'sync' ? selectedResult.streams : [],
    ).toEqual([expect.objectContaining({ name: 'authors' })]);
  });

  it('test-connection and remote-scopes report, never leaking the token', async () => {
    const good = await cli(['test-connection', '--context', '-'], JSON.stringify(context));
    expect(good).toMatchObject({ code: 0, stdout: 'ok: welcome\n' });
    const bad = await cli(
      ['test-connection', '--context', '-'],
      JSON.stringify({ connection: { id: 1, token: 'wrong-token-999' } }),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('failed: token [redacted] rejected\n');
    const scopes = await cli(['remote-scopes', '--context', '-'], JSON.stringify(context));
    expect(scopes.code).toBe(1);
    expect(scopes.stderr).toContain('cannot list remote scopes');

    const goodJson = await cli(['test-connection', '--context', '-', '--json'], JSON.stringify(context));
    expect(strictProtocolMessages(goodJson.stdout)).toEqual([
      { type: 'result', command: 'test-connection', ok: true, message: 'welcome' },
    ]);
    const badJson = await cli(
      ['test-connection', '--context', '-', '--json'],
      JSON.stringify({ connection: { id: 1, token: 'wrong-token-999' } }),
    );
    expect(strictProtocolMessages(badJson.stdout)).toEqual([
      expect.objectContaining({ type: 'result', command: 'test-connection', ok: false }),
    ]);
    expect(badJson.stdout).not.toContain('wrong-token-999');
    const scopesJson = await cli(['remote-scopes', '--context', '-', '--json'], JSON.stringify(context));
    expect(strictProtocolMessages(scopesJson.stdout)).toEqual([
      expect.objectContaining({ type: 'error', code: 'NOT_SUPPORTED' }),
    ]);
  });

  it('exits 2 with one line naming every bad field', async () => {
    const result = await cli(
      ['sync', '--context', '-'],
      JSON.stringify({ connection: { id: -1, pageSize: 'ten', extra: 1 }, scope: {}, surprise: true }),
    );
    expect(result.code).toBe(2);
    const line = result.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    for (const field of [
      'surprise',
      'connection.id',
      'connection.token',
      'connection.pageSize',
      'connection: Unrecognized key: "extra"',
      'scope.shelf',
    ]) {
      expect(line).toContain(field);
    }
    const json = await cli(['sync', '--json', '--context', '-'], '{not json');
    expect(json.code).toBe(2);
    expect(strictProtocolMessages(json.stdout)).toEqual([
      expect.objectContaining({ type: 'error', code: 'CONTEXT_INVALID' }),
    ]);
  });

  it('refuses usage mistakes', async () => {
    expect((await cli(['sync'])).stderr).toMatch(/--context <file\|-> is required/);
    expect((await cli(['collect', '--context', '-'])).stderr).toMatch(/collect needs a stream name/);
    expect((await cli(['info', 'extra'])).stderr).toMatch(/unexpected argument "extra"/);
    expect((await cli(['sync', '--bogus'])).code).toBe(2);
    expect((await cli(['sync', '--log-level', 'loud', '--context', '-'])).stderr).toMatch(/--log-level must be/);
    expect((await cli(['sync', '--context', '/does/not/exist'])).stderr).toMatch(/does not exist/);
    const database = await cli(['sync', '--context', '-', '--db', 'oracle://x'], JSON.stringify(context));
    expect(database.code).toBe(2);
    expect(database.stderr).toMatch(/unsupported scheme/);
  });

  it('exits 2 for every usage or configuration error, before opening (or creating) the database', async () => {
    const file = join(directory, 'never-created.db');
    const database = `sqlite:${file}`;
    const cases: Array<[string[], unknown, RegExp]> = [
      [['sync', '--db', 'oracle://x'], context, /DATABASE_URL_INVALID/],
      [['sync', '--db', database, '--stream', 'nope'], context, /STREAM_UNKNOWN/],
      [['collect', 'nope', '--db', database], context, /STREAM_UNKNOWN/],
      [['sync', '--db', database], { connection: { id: 1 }, scope: { shelf: 'main' } }, /CONFIG_INVALID/],
      [['sync', '--db', database], { ...context, surprise: 1 }, /CONFIG_INVALID/],
      [['extract', 'books', '--db', database], '{"connection": ', /CONTEXT_INVALID/],
      [['test-connection'], { connection: { id: 1 } }, /CONFIG_INVALID/],
    ];
    for (const [argv, input, code] of cases) {
      const stdin = typeof input === 'string' ? input : JSON.stringify(input);
      const result = await cli([...argv, '--context', '-', '--json'], stdin);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stdout, argv.join(' ')).toMatch(code);
      expect(existsSync(file), `${argv.join(' ')} created the database`).toBe(false);
    }
  });

  it('reports a malformed context by line and column, never quoting it', async () => {
    const secretValue = 'ghp_s3cr3t-value-42';
    // JSON.parse's message for this text quotes ten characters before the error: "alue-42",n]…
    const text = `{"connection": {"id": 1,\n  "token": ["${secretValue}",n]}, "scope": {"shelf": "main"}}`;
    const result = await cli(['sync', '--context', '-'], text);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('[lake] context is not valid JSON (syntax error at line 2, column 36)');
    for (const json of [false, true]) {
      const output = await cli(['sync', '--context', '-', ...(json ? ['--json'] : [])], text);
      for (let start = 0; start + 4 <= secretValue.length; start += 1) {
        expect(output.stdout + output.stderr).not.toContain(secretValue.slice(start, start + 4));
      }
    }
  });

  it('shows control characters in source data as escapes in human output, and keeps JSON output JSON', async () => {
    const shelf = 'evil\u001b[31m\u001b]0;pwned\u0007\u202etxt.exe\u0085';
    const evil = { ...context, scope: { shelf } };
    const database = `sqlite:${join(directory, 'evil.db')}`;
    const human = await cli(['sync', '--context', '-', '--db', database], JSON.stringify(evil));
    expect(human.code).toBe(1); // the shelf does not exist: the stream fails, naming it
    const printed = human.stdout + human.stderr;
    for (const control of ['\u001b', '\u0007', '\u202e', '\u0085']) expect(printed).not.toContain(control);
    expect(human.stdout).toContain('library · shelf evil\\x1b[31m\\x1b]0;pwned\\x07\\u202etxt.exe\\x85 · failed');
    expect(human.stdout).toContain('error: [lake] [library] stream "books" failed: no shelf evil\\x1b[31m');
    expect(human.stderr).toContain('no shelf evil\\x1b[31m');
    const json = await cli(['sync', '--context', '-', '--db', database, '--json'], JSON.stringify(evil));
    expect(strictProtocolMessages(json.stdout).at(-1)).toMatchObject({
      type: 'result',
      scopeName: `shelf ${shelf}`,
      domainScopes: [{ table: 'boards', id: `library:LibraryShelf:1:${shelf}` }],
    });
  });
});
