import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = (file: string) => JSON.stringify(new URL(`../../dist/${file}`, import.meta.url).href);

const TOKEN = 'tok/en+S3cr3t=value-0123456789';

/**
 * A connector binary whose code prints its token every way a process can: console.log,
 * console.error, console.warn, util.inspect of an object, process.stdout.write (whole and in
 * two pieces), URL-encoded and as HTTP Basic credentials.
 */
const binary = `
const { main } = await import(${dist('cli.js')});
const { defineConnector, defineStream, defineToolTable, column, key, secret, z } = await import(${dist('index.js')});
const leak = (token, where) => {
  console.log(where, 'console.log', token);
  console.error(where, 'console.error', token);
  console.warn(where, 'console.warn', { token });
  console.info(where, 'encoded', encodeURIComponent(token));
  console.log(where, 'Authorization: Basic ' + Buffer.from('user:' + token).toString('base64'));
  process.stdout.write(where + ' stdout ' + token + '\\n');
  process.stderr.write(Buffer.from(where + ' stderr ' + token + '\\n'));
  process.stdout.write(where + ' pieces ' + token.slice(0, 7));
  process.stdout.write(token.slice(7) + '\\n');
};
const table = defineToolTable()({ entity: 'echoes', columns: { id: key(column.bigint()) } });
const connector = defineConnector({
  contractVersion: '1.0.0',
  name: 'echo',
  description: 'prints its token',
  domainTypes: [],
  connection: z.object({ token: secret() }),
  scope: { schema: z.object({ name: z.string() }), id: (scope) => scope.name, name: (scope) => scope.name },
  scopeConfig: z.object({}),
  client: ({ connection }) => ({ token: connection.token.reveal() }),
  async testConnection(context) {
    leak(context.client.token, 'test-connection');
    return { ok: true, message: 'connected' };
  },
  domainScopes: () => [],
  streams: [
    defineStream({
      name: 'echoes',
      tables: [table],
      async *collect(context) {
        leak(context.client.token, 'collect');
        yield { data: { id: 1 } };
        throw new Error('gave up with ' + context.client.token);
      },
    }),
  ],
  migrations: { '0001-echoes': { up: (context) => context.createToolTable('echoes', { id: key(column.bigint()) }) } },
});
await main(connector, { version: '1.0.0' });
`;

/** Every base64 word of `text`, decoded (to find a secret hidden in one). */
function decodedBase64Words(text: string): string[] {
  return (text.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? []).map((word) => Buffer.from(word, 'base64').toString('latin1'));
}

describe('a connector process that prints its token', () => {
  let directory: string;
  let contextFile: string;
  let binaryFile: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-cli-leak-'));
    binaryFile = join(directory, 'lake-connector-echo.mjs');
    await writeFile(binaryFile, binary);
    contextFile = join(directory, 'context.json');
    await writeFile(contextFile, JSON.stringify({ connection: { id: 1, token: TOKEN }, scope: { name: 'one' } }));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  async function cli(args: string[]): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [binaryFile, ...args]);
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, output: failure.stdout + failure.stderr };
    }
  }

  it.each([
    ['sync', ['sync']],
    ['sync --json', ['sync', '--json']],
    ['test-connection', ['test-connection']],
  ])('prints nothing of the token in clear, URL-encoded or base64 (%s)', async (_name, command) => {
    const database = `sqlite:${join(directory, `${command.join('-')}.db`)}`;
    const { output } = await cli([...command, '--context', contextFile, '--db', database]);
    // It did print: the leaks are there, masked.
    expect(output).toMatch(/console\.log \[redacted\]/);
    expect(output).toContain('stdout [redacted]');
    expect(output).toContain('pieces [redacted]');
    expect(output).toContain('Authorization: Basic [redacted]');
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(encodeURIComponent(TOKEN));
    expect(output).not.toContain('S3cr3t');
    for (const decoded of decodedBase64Words(output)) expect(decoded).not.toContain('S3cr3t');
  });
});
