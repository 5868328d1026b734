import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, openStore, type Store, z } from '@lake/sdk';
import { migrateWebhookLake } from './migrate-lake.js';
import { DEFAULT_MAX_BODY_BYTES } from './receiver/read-json-body.js';
import { createWebhookReceiver, type ReceiverConnection, type RequestLogEntry } from './receiver/receiver.js';
import { connectionSchema } from './settings.js';

export interface ServeIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Stops the receiver (SIGINT/SIGTERM in the real binary): requests in flight finish first. */
  signal: AbortSignal;
}

export const SERVE_USAGE = `Usage: lake-connector-webhook serve [options]

Receives deployments and incidents over HTTP and writes them into the lake.

Options:
  --context <file|->       {"connection": {...}} or {"connections": [{...}, ...]}; each with id and token
  --db <url>               the lake (default: $LAKE_DATABASE_URL, else sqlite:.lake/lake.db)
  --port <n>               port to listen on (default 8080; 0 picks a free one)
  --host <address>         address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --max-body-bytes <n>     refuse bodies larger than this (default ${DEFAULT_MAX_BODY_BYTES})
  --json                   log one JSON object per line

Endpoints (each POST needs Authorization: Bearer <the connection's token>):
  POST /connections/<id>/deployments
  POST /connections/<id>/incidents
  POST /connections/<id>/incidents/<incident id>/close
  GET  /connections/<id>       checks a token
  GET  /health
`;

/**
 * \`serve\`: opens and migrates the lake, then runs the receiver until the signal aborts. Exit
 * codes: 0 stopped, 1 could not start (port taken, database unreachable), 2 usage or
 * configuration error (nothing was opened).
 */
export async function runServeCommand(argv: readonly string[], io: ServeIo): Promise<number> {
  let options: ServeOptions;
  try {
    options = parseServeArguments(argv, io.env);
    if (options.help) {
      io.stdout.write(SERVE_USAGE);
      return 0;
    }
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  let connections: ReceiverConnection[];
  try {
    connections = connectionsOf(await readContextText(options.context, io.stdin));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const log = (line: Record<string, unknown>, text: string) =>
    io.stderr.write(options.json ? `${JSON.stringify(line)}\n` : `${text}\n`);
  let store: Store | undefined;
  try {
    store = await openStore(options.db);
    await migrateWebhookLake(store);
    const receiver = createWebhookReceiver({
      store,
      connections,
      maxBodyBytes: options.maxBodyBytes,
      log: (entry) => log({ type: 'request', ...entry, durationMs: Math.round(entry.durationMs) }, requestLine(entry)),
    });
    const { url } = await receiver.listen(options.port, options.host);
    log(
      { type: 'listening', url, connections: connections.map((connection) => connection.id) },
      `[webhook] listening on ${url} for connection${connections.length === 1 ? '' : 's'} ${connections.map((connection) => connection.id).join(', ')}`,
    );
    if (!io.signal.aborted)
      await new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }));
    await receiver.close();
    log({ type: 'stopped' }, '[webhook] stopped');
    return 0;
  } catch (error) {
    log({ type: 'error', message: (error as Error).message }, `[webhook] ${(error as Error).message}`);
    return 1;
  } finally {
    await store?.close();
  }
}

interface ServeOptions {
  help: boolean;
  context: string | undefined;
  db: string;
  port: number;
  host: string;
  maxBodyBytes: number;
  json: boolean;
}

function parseServeArguments(argv: readonly string[], env: NodeJS.ProcessEnv): ServeOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      context: { type: 'string' },
      db: { type: 'string' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'max-body-bytes': { type: 'string', default: String(DEFAULT_MAX_BODY_BYTES) },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0–65535 (got "${values.port}")`);
  const maxBodyBytes = Number(values['max-body-bytes']);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new Error(`--max-body-bytes must be a positive integer (got "${values['max-body-bytes']}")`);
  return {
    help: values.help ?? false,
    context: values.context,
    // The runtime passes the URL in the environment: a password in argv shows in process listings.
    db: values.db ?? (env.LAKE_DATABASE_URL || 'sqlite:.lake/lake.db'),
    port,
    host: values.host ?? '127.0.0.1',
    maxBodyBytes,
    json: values.json ?? false,
  };
}

async function readContextText(source: string | undefined, stdin: NodeJS.ReadableStream): Promise<string> {
  if (source === undefined) throw new Error('serve needs --context <file|-> with the connection(s) to accept');
  if (source !== '-') return readFile(source, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const connectionWithId = connectionSchema.extend({ id: z.number().int().positive() });

/** The connections of a serve context, each checked against the connection schema (every bad field named). */
export function connectionsOf(text: string): ReceiverConnection[] {
  let context: { connection?: unknown; connections?: unknown };
  try {
    context = JSON.parse(text) as typeof context;
  } catch (error) {
    throw new ConfigError('serve context', [{ path: '', message: `not JSON: ${(error as Error).message}` }], 'webhook');
  }
  const entries: Array<[string, unknown]> = Array.isArray(context?.connections)
    ? context.connections.map((connection, index) => [`connections.${index}`, connection])
    : context?.connection !== undefined
      ? [['connection', context.connection]]
      : [];
  if (entries.length === 0)
    throw new ConfigError(
      'serve context',
      [{ path: 'connection', message: 'give connection or connections' }],
      'webhook',
    );
  const issues: Array<{ path: string; message: string }> = [];
  const connections: ReceiverConnection[] = [];
  for (const [path, value] of entries) {
    const parsed = connectionWithId.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push({ path: [path, ...issue.path.map(String)].join('.'), message: issue.message });
      continue;
    }
    if (connections.some((connection) => connection.id === parsed.data.id))
      issues.push({ path: `${path}.id`, message: `connection ${parsed.data.id} is listed twice` });
    connections.push({ id: parsed.data.id, token: parsed.data.token });
  }
  if (issues.length > 0) throw new ConfigError('serve context', issues, 'webhook');
  return connections;
}

function requestLine(entry: RequestLogEntry): string {
  const failure = entry.failure === undefined ? '' : ` (${entry.failure})`;
  return `[webhook] ${entry.method} ${entry.path} ${entry.status}${entry.code ? ` ${entry.code}` : ''} ${Math.round(entry.durationMs)} ms${failure}`;
}
