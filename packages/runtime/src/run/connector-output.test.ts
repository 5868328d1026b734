import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redactor } from '@lake/sdk/host';
import { type ProtocolMessage, serializeProtocolMessage } from '@lake/sdk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorReport, readConnectorOutput } from './connector-output.js';
import { ScopeLog } from './scope-log.js';

const SECRET = 'hunter2-secret-token';

const syncResult: ProtocolMessage = {
  type: 'result',
  command: 'sync',
  syncId: 's1',
  connector: 'alpha',
  scopeId: 'one',
  scopeName: 'one',
  status: 'succeeded',
  streams: [
    {
      name: 'items',
      status: 'succeeded',
      records: 2,
      toolRows: 2,
      domainRows: 2,
      removed: 0,
      elapsedMs: 3,
      full: false,
      resumed: false,
    },
  ],
  summary: [],
};

describe("reading a connector's output", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-connector-output-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  /** A real child process that writes `stdout` and `stderr` lines, then exits with `code`. */
  function child(
    stdout: readonly string[],
    stderr: readonly string[] = [],
    code = 0,
  ): () => ChildProcessWithoutNullStreams {
    const script = [
      `for (const line of ${JSON.stringify(stdout)}) process.stdout.write(line + '\\n');`,
      `for (const line of ${JSON.stringify(stderr)}) process.stderr.write(line + '\\n');`,
      `process.exitCode = ${code};`,
    ].join('\n');
    return () => spawn(process.execPath, ['-e', script], { stdio: 'pipe' });
  }

  let logs = 0;
  /** Starts the process only once the log is open: its events must find the reader listening, as in `runScope`. */
  async function read(
    start: () => ChildProcessWithoutNullStreams,
  ): Promise<{ report: ConnectorReport; messages: ProtocolMessage[]; log: string }> {
    const log = await ScopeLog.open(directory, { connection: 'c', scopeId: `s${++logs}` }, new Date(), new Redactor());
    const messages: ProtocolMessage[] = [];
    const report = await readConnectorOutput(start(), 'connector.js', {
      scrubber: new Redactor([SECRET]),
      log,
      onMessage: (message) => messages.push(message),
    });
    await log.close();
    return { report, messages, log: await readFile(log.file, 'utf8') };
  }

  it('hands on each message in order and keeps the result', async () => {
    const start: ProtocolMessage = {
      type: 'sync-start',
      syncId: 's1',
      connector: 'alpha',
      scopeId: 'one',
      streams: [],
    };
    const { report, messages } = await read(
      child([serializeProtocolMessage(start), 'a stray console.log', serializeProtocolMessage(syncResult)]),
    );
    expect(messages).toEqual([start, syncResult]);
    expect(report).toEqual({ exitCode: 0, result: syncResult, failure: undefined, lastStderrLine: undefined });
  });

  it('scrubs secrets before the log or the parser sees a line', async () => {
    const log: ProtocolMessage = {
      type: 'log',
      level: 'warn',
      message: `token ${SECRET} refused`,
      time: 't',
      fields: {},
    };
    const { messages, log: text } = await read(child([serializeProtocolMessage(log)], [`stderr ${SECRET}`]));
    expect(messages).toEqual([{ ...log, message: 'token [redacted] refused' }]);
    expect(text).not.toContain(SECRET);
    expect(text).toContain('[stderr] stderr [redacted]');
  });

  it("takes an error line's message as the failure", async () => {
    const { report } = await read(
      child(
        [serializeProtocolMessage({ type: 'error', name: 'LakeError', code: 'CONTEXT_INVALID', message: 'bad' })],
        [],
        2,
      ),
    );
    expect(report).toMatchObject({ exitCode: 2, result: undefined, failure: 'bad' });
  });

  it('fails a connector that speaks a newer protocol by name, and logs what it skipped', async () => {
    const newer = JSON.stringify({ type: 'result', protocolVersion: 99, outcome: {} });
    const unknown = JSON.stringify({ type: 'stream-pause', protocolVersion: 1 });
    const { report, messages, log } = await read(child([unknown, newer]));
    expect(messages).toEqual([]);
    expect(report.result).toBeUndefined();
    expect(report.failure).toMatch(/^the connector speaks protocol version 99, this reader understands up to 1/);
    expect(log).toContain('# PROTOCOL_MESSAGE_UNKNOWN: unknown message type "stream-pause"');
    expect(log).toContain('# PROTOCOL_VERSION_UNSUPPORTED: the connector speaks protocol version 99');
  });

  it('keeps the last stderr line of a process that died without a word on stdout', async () => {
    const { report } = await read(child([], ['first', 'Error: out of memory'], 3));
    expect(report).toEqual({
      exitCode: 3,
      result: undefined,
      failure: undefined,
      lastStderrLine: 'Error: out of memory',
    });
  });

  it('says why a process could not start', async () => {
    const { report } = await read(() => spawn(join(directory, 'no-such-node'), [], { stdio: 'pipe' }));
    expect(report.exitCode).toBeNull();
    expect(report.failure).toMatch(/^cannot start connector\.js: spawn .*no-such-node ENOENT$/);
  });
});
