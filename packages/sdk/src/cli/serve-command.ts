import { createInterface } from 'node:readline';
import type { Connector } from '../contract/define-connector.js';
import { validateContext } from '../engine/sync-context.js';
import { parseSyncRequestLine } from '../protocol/serve-request.js';
import { Redactor } from '../secrets/redactor.js';
import { collectSecrets } from '../secrets/secret.js';
import { databaseUrlSecrets, parseDatabaseUrl } from '../store/database-url.js';
import { openStore, type Store } from '../store/store.js';
import { syncCommand } from './cli-commands.js';
import type { CliOutput } from './cli-output.js';
import type { CliArguments } from './parse-arguments.js';

/** What one `serve` process keeps from request to request. */
export interface ServeSession {
  connector: Connector;
  version: string;
  databaseUrl: string;
  output: CliOutput;
  stdin: NodeJS.ReadableStream;
  signal?: AbortSignal;
  /** Called once, with the redactor every request's secrets are added to. */
  redactOutput?: (redactor: Redactor) => void;
}

interface ServeState {
  /** Opened by the first valid request (a bad first context must not create the database). */
  store: Store | undefined;
  /** The migrations ran (in the first sync that got past them): the next syncs skip them. */
  migrated: boolean;
}

/**
 * `serve --json`: one sync per request line on stdin (`@lake/sdk/protocol`'s
 * `syncRequestSchema`), each answered exactly as `sync --context - --json` would answer it,
 * then with `request-end`. The store stays open across requests, and the redactor keeps the
 * secrets of every request it served. Exit code 0 when stdin ends, 130 when interrupted (the
 * current request stops after its current batch and ends first).
 */
export async function serveCommand(session: ServeSession, args: CliArguments, onError: (error: unknown) => number) {
  const { output, databaseUrl } = session;
  output.json = true;
  parseDatabaseUrl(databaseUrl);
  const redactor = new Redactor([
    ...databaseUrlSecrets(databaseUrl),
    ...databaseUrlSecrets(process.env.LAKE_RATE_LIMIT_URL ?? ''),
  ]);
  output.redactor = redactor;
  session.redactOutput?.(redactor);
  const state: ServeState = { store: undefined, migrated: false };
  try {
    for await (const line of requestLines(session.stdin, session.signal)) {
      if (line.trim() === '') continue;
      let exitCode: number;
      try {
        exitCode = await serveRequest(session, state, args, line);
      } catch (error) {
        exitCode = onError(error);
      }
      output.message({ type: 'request-end', exitCode });
      if (session.signal?.aborted) return 130;
    }
    return session.signal?.aborted ? 130 : 0;
  } finally {
    await state.store?.close();
  }
}

async function serveRequest(session: ServeSession, state: ServeState, args: CliArguments, line: string) {
  const { connector, output } = session;
  const request = parseSyncRequestLine(line);
  const validated = validateContext(connector, request.context);
  // Added, never replaced: a line of an earlier request still on its way out stays masked too.
  for (const secret of collectSecrets(validated.connection)) output.redactor?.add(secret);
  state.store ??= await openStore(session.databaseUrl);
  const code = await syncCommand(
    {
      connector,
      context: request.context,
      logSink: output.logSink,
      logLevel: request.logLevel,
      ...(session.signal ? { signal: session.signal } : {}),
      connectorVersion: session.version,
      databaseUrl: session.databaseUrl,
      stderrIsTTY: false,
      store: state.store,
      migrate: !state.migrated,
    },
    { ...args, command: 'sync', stream: undefined, streams: [], full: request.full, json: true },
    output,
  );
  state.migrated = true;
  return code;
}

/**
 * The lines of `stdin`, as they come; ends with stdin, or at once when `signal` is aborted
 * (an idle `serve` stops without waiting for another request).
 */
async function* requestLines(stdin: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<string> {
  const lines = createInterface({ input: stdin, crlfDelay: Number.POSITIVE_INFINITY });
  const queue: string[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  lines.on('line', (line) => {
    queue.push(line);
    wake?.();
  });
  lines.on('close', () => {
    ended = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (signal?.aborted) return;
      const next = queue.shift();
      if (next !== undefined) yield next;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    lines.close();
  }
}
