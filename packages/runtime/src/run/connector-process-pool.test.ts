import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor } from '@lake/sdk/host';
import type { ProtocolMessage } from '@lake/sdk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorProcessPool, type ServeLaunch } from './connector-process-pool.js';
import { ScopeLog } from './scope-log.js';

/**
 * A stand-in for a connector's `serve --json`, without the SDK: per request line it prints
 * `sync-start` (its pid as the sync id), then, unless the scope says `die`, a `result`
 * reporting the scope's `rss` as its peak RSS and `request-end`. It exits 0 when stdin ends.
 */
const FAKE_SERVE = `
import { createInterface } from 'node:readline';
const print = (message) => process.stdout.write(JSON.stringify({ protocolVersion: 1, ...message }) + '\\n');
for await (const line of createInterface({ input: process.stdin })) {
  const { context } = JSON.parse(line);
  const scope = context.scope;
  print({ type: 'sync-start', syncId: String(process.pid), connector: 'fake', scopeId: scope.id, streams: [] });
  if (scope.die) {
    process.stderr.write('dying on purpose token ' + context.connection.token + '\\n');
    process.exit(3);
  }
  print({
    type: 'result', command: 'sync', syncId: String(process.pid), connector: 'fake', scopeId: scope.id,
    scopeName: scope.id, status: 'succeeded', streams: [], summary: [], peakRssMB: scope.rss ?? 50,
  });
  print({ type: 'request-end', exitCode: 0 });
}
process.exit(0);
`;

describe('ConnectorProcessPool', () => {
  let directory: string;
  let launch: ServeLaunch;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-pool-unit-'));
    const cli = join(directory, 'fake-serve.mjs');
    await writeFile(cli, FAKE_SERVE);
    launch = { cli, cwd: directory, environment: process.env, context: {} };
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  async function job(pool: ConnectorProcessPool, scope: Record<string, unknown>) {
    const scrubber = new Redactor(['pool-secret-token-1234']);
    const log = await ScopeLog.open(directory, { connection: 'c', scopeId: String(scope.id) }, new Date(), scrubber);
    const messages: ProtocolMessage[] = [];
    const report = await pool.run(
      launch,
      { context: { connection: { token: 'pool-secret-token-1234' }, scope }, full: false, logLevel: 'info' },
      { scrubber, log, onMessage: (message) => messages.push(message) },
    );
    await log.close();
    const pid = messages.find((message) => message.type === 'sync-start')?.syncId;
    return { report, pid, messages, log: await readFile(log.file, 'utf8') };
  }

  it('runs jobs one after another in one process, and retires it after its job count', async () => {
    const pool = new ConnectorProcessPool({ maxJobs: 3 });
    const runs = [];
    for (let index = 0; index < 5; index += 1) runs.push(await job(pool, { id: `s${index}` }));
    expect(runs.map((run) => run.report.exitCode)).toEqual([0, 0, 0, 0, 0]);
    expect(runs.every((run) => run.report.result?.status === 'succeeded')).toBe(true);
    const pids = runs.map((run) => run.pid);
    expect(new Set(pids.slice(0, 3)).size).toBe(1);
    expect(new Set(pids.slice(3)).size).toBe(1);
    expect(pids[3]).not.toBe(pids[0]);
    // request-end is the reader's, not a scope event; the scope log names the serving process.
    expect(runs[0]!.messages.map((message) => message.type)).toEqual(['sync-start', 'result']);
    expect(runs[0]!.log).toContain(`# served by connector process ${pids[0]} (its job 1)`);
    await pool.close();
  });

  it('retires a process whose peak RSS passed the budget', async () => {
    const pool = new ConnectorProcessPool({ maxRssMB: 100 });
    const big = await job(pool, { id: 'big', rss: 300 });
    const next = await job(pool, { id: 'next' });
    const again = await job(pool, { id: 'again' });
    expect(next.pid).not.toBe(big.pid);
    expect(again.pid).toBe(next.pid);
    await pool.close();
  });

  it('a process that dies before request-end fails its job with its exit code and last stderr line; the next job gets a new one', async () => {
    const pool = new ConnectorProcessPool();
    const first = await job(pool, { id: 'first' });
    const dead = await job(pool, { id: 'dead', die: true });
    expect(dead.pid).toBe(first.pid);
    expect(dead.report.result).toBeUndefined();
    expect(dead.report.exitCode).toBe(3);
    expect(dead.report.lastStderrLine).toBe('dying on purpose token [redacted]');
    const after = await job(pool, { id: 'after' });
    expect(after.report.exitCode).toBe(0);
    expect(after.pid).not.toBe(first.pid);
    await pool.close();
  });
});
