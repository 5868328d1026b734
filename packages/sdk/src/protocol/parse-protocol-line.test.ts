import { describe, expect, it } from 'vitest';
import { LakeError } from '../errors/lake-error.js';
import { parseProtocolLine, protocolMessagesOf } from './parse-protocol-line.js';
import { isSyncResult, type ProtocolMessage } from './protocol-messages.js';
import { PROTOCOL_VERSION } from './protocol-version.js';
import { serializeProtocolMessage } from './serialize-protocol-message.js';

const streamResult = {
  name: 'issues',
  status: 'succeeded',
  records: 3,
  toolRows: 3,
  domainRows: 2,
  removed: 0,
  elapsedMs: 12,
  full: false,
  resumed: true,
} as const;

/** One message of every kind the CLI writes. */
const messages: ProtocolMessage[] = [
  { type: 'sync-start', syncId: 's1', connector: 'git', scopeId: 'repo', streams: ['commits'] },
  { type: 'sync-skip', syncId: 's1', reason: 'unchanged since 2026-01-01' },
  { type: 'stream-start', stream: 'commits', full: false, resumed: false },
  { type: 'stream-progress', stream: 'commits', records: 10, elapsedMs: 5 },
  { type: 'stream-progress', stream: 'commits', records: 10, total: 40, elapsedMs: 5 },
  {
    type: 'stream-end',
    stream: 'commits',
    status: 'failed',
    records: 1,
    toolRows: 1,
    domainRows: 0,
    removed: 0,
    elapsedMs: 9,
    error: 'boom',
  },
  { type: 'migrations', owner: 'sdk', applied: ['001-runs'] },
  { type: 'log', level: 'warn', message: 'slow', time: '2026-12-03T00:00:00.000Z', fields: { stream: 'commits' } },
  {
    type: 'result',
    command: 'sync',
    syncId: 's1',
    connector: 'git',
    scopeId: 'repo',
    scopeName: 'repo lake',
    status: 'failed',
    streams: [streamResult, { ...streamResult, name: 'later', status: 'not-run' }],
    summary: [{ label: 'commits', value: 3, rows: [{ author: 'ada', commits: 3 }] }],
    domainScopes: [{ table: 'repos', id: 'git:GitRepo:1:/srv/repo' }],
    error: new LakeError('STREAM_FAILED', 'stream "issues" failed').toJSON(),
  },
  { type: 'result', command: 'test-connection', ok: true, message: 'welcome', details: { user: 'ada' } },
  {
    type: 'result',
    command: 'remote-scopes',
    entries: [
      { kind: 'group', id: 'g', name: 'Group' },
      { kind: 'scope', id: 'r', name: 'Repo', scope: { path: '/r' } },
    ],
    nextPageToken: 'p2',
  },
  { type: 'error', ...new LakeError('CONTEXT_INVALID', 'connection.token: required').toJSON() },
];

describe('the connector line protocol', () => {
  it.each(messages.map((message) => [`${message.type}${'command' in message ? ` ${message.command}` : ''}`, message]))(
    'reads back what it writes: %s',
    (_, message) => {
      const line = serializeProtocolMessage(message);
      expect(JSON.parse(line)).toMatchObject({ type: message.type, protocolVersion: PROTOCOL_VERSION });
      expect(line.startsWith(`{"type":"${message.type}","protocolVersion":${PROTOCOL_VERSION},`)).toBe(true);
      expect(parseProtocolLine(line)).toEqual({ ok: true, message });
    },
  );

  it('reads a line without protocolVersion (written by an SDK older than the field) as version 1', () => {
    const line = JSON.stringify({ type: 'sync-skip', syncId: 's1', reason: 'unchanged' });
    expect(parseProtocolLine(line)).toEqual({
      ok: true,
      message: { type: 'sync-skip', syncId: 's1', reason: 'unchanged' },
    });
  });

  it('drops fields it does not know (a newer SDK may add optional ones within a version)', () => {
    const line = JSON.stringify({ type: 'sync-skip', protocolVersion: 1, syncId: 's1', reason: 'r', later: true });
    expect(parseProtocolLine(line)).toEqual({ ok: true, message: { type: 'sync-skip', syncId: 's1', reason: 'r' } });
  });

  it.each([
    ['text a connector printed', 'hello from console.log'],
    ['a line cut short by a kill', '{"type":"stream-progress","stream":"comm'],
    ['a JSON value that is not an object', '[1,2]'],
    ['null', 'null'],
    ['an object without a type', '{"stream":"commits"}'],
    ['a type that is not a string', '{"type":7}'],
    ['a protocolVersion that is not a positive integer', '{"type":"log","protocolVersion":"1"}'],
    ['protocolVersion 0', '{"type":"log","protocolVersion":0}'],
  ])('calls %s malformed', (_, line) => {
    const parsed = parseProtocolLine(line);
    expect(parsed).toMatchObject({ ok: false, problem: { code: 'PROTOCOL_LINE_MALFORMED' } });
  });

  it('names a type it does not know, and the version the line came in', () => {
    expect(parseProtocolLine('{"type":"stream-pause","protocolVersion":1,"stream":"commits"}')).toEqual({
      ok: false,
      problem: {
        code: 'PROTOCOL_MESSAGE_UNKNOWN',
        message: 'unknown message type "stream-pause"',
        type: 'stream-pause',
        protocolVersion: 1,
      },
    });
  });

  it('refuses a newer protocol version by name, before looking at the message', () => {
    const parsed = parseProtocolLine(
      JSON.stringify({
        type: 'result',
        protocolVersion: PROTOCOL_VERSION + 1,
        outcome: 'a shape this reader cannot know',
      }),
    );
    expect(parsed).toMatchObject({
      ok: false,
      problem: { code: 'PROTOCOL_VERSION_UNSUPPORTED', type: 'result', protocolVersion: PROTOCOL_VERSION + 1 },
    });
    if (!parsed.ok) {
      expect(parsed.problem.message).toBe(
        `the connector speaks protocol version ${PROTOCOL_VERSION + 1}, this reader understands up to ${PROTOCOL_VERSION} (upgrade the runtime, or pin an older connector)`,
      );
    }
  });

  it('says which field of a known message does not fit, without quoting the line', () => {
    const parsed = parseProtocolLine(
      JSON.stringify({ type: 'stream-end', stream: 'commits', status: 'exploded', records: 'secret-token-123' }),
    );
    expect(parsed).toMatchObject({ ok: false, problem: { code: 'PROTOCOL_MESSAGE_INVALID', type: 'stream-end' } });
    if (!parsed.ok) {
      expect(parsed.problem.message).toMatch(/^a "stream-end" message that does not fit it: .*status/);
      expect(parsed.problem.message).toContain('records');
      expect(parsed.problem.message).not.toContain('secret-token-123');
    }
  });

  it('tells results apart by command, and refuses a result of a command it does not know', () => {
    const parsed = parseProtocolLine('{"type":"result","command":"teleport","ok":true}');
    expect(parsed).toMatchObject({ ok: false, problem: { code: 'PROTOCOL_MESSAGE_INVALID', type: 'result' } });
  });
});

describe('a whole output', () => {
  it('is its messages in order, without blank lines, stray text or lines cut short', () => {
    const start: ProtocolMessage = { type: 'stream-start', stream: 'commits', full: true, resumed: false };
    const skip: ProtocolMessage = { type: 'sync-skip', syncId: 's1', reason: 'unchanged' };
    const output = [
      serializeProtocolMessage(start),
      'debug: printed by the connector',
      '',
      serializeProtocolMessage(skip),
      '{"type":"stream-progress","str',
    ].join('\n');
    expect(protocolMessagesOf(output)).toEqual([start, skip]);
  });
});

describe('isSyncResult', () => {
  it('tells a sync result from the results of the connection commands', () => {
    expect(messages.filter(isSyncResult).map((message) => message.command)).toEqual(['sync']);
  });
});
