import type { Connector } from '../contract/define-connector.js';
import { runListRemoteScopes, runTestConnection } from '../engine/connection-tasks.js';
import { runSync, type SyncMode, selectStreams } from '../engine/sync.js';
import type { LogLevel } from '../logging/logger.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { openStore, type Store } from '../store/store.js';
import type { CliOutput } from './cli-output.js';
import type { CliArguments } from './parse-arguments.js';
import { createProgressRenderer, formatTable, renderSyncResult } from './render.js';
import { terminalLines, terminalText } from './terminal-text.js';

/** What every command that runs connector code is given. */
export interface CommandRequest {
  connector: Connector;
  context: unknown;
  logSink: CliOutput['logSink'];
  logLevel: LogLevel;
  signal?: AbortSignal;
}

/** `test-connection`: exit code 0 when the connection works, 1 when it does not. */
export async function testConnectionCommand(request: CommandRequest, output: CliOutput): Promise<number> {
  const result = await runTestConnection(request);
  if (output.json) output.message({ type: 'result', command: 'test-connection', ...result });
  else {
    const line = `${result.ok ? 'ok' : 'failed'}: ${terminalLines(result.message)}\n`;
    if (result.ok) output.out(line);
    else output.err(line);
  }
  return result.ok ? 0 : 1;
}

/** `remote-scopes [--group] [--page-token]`: one page of groups or scopes. */
export async function remoteScopesCommand(
  request: CommandRequest,
  args: CliArguments,
  output: CliOutput,
): Promise<number> {
  const page = await runListRemoteScopes({
    ...request,
    ...(args.group === undefined ? {} : { groupId: args.group }),
    ...(args.pageToken === undefined ? {} : { pageToken: args.pageToken }),
  });
  if (output.json) {
    output.message({ type: 'result', command: 'remote-scopes', ...page });
    return 0;
  }
  const rows = page.entries.map((entry) => [entry.kind, entry.id, entry.name]);
  output.out(`${formatTable(['kind', 'id', 'name'], rows)}\n`);
  if (page.nextPageToken) output.out(`more: --page-token ${terminalText(page.nextPageToken)}\n`);
  return 0;
}

/** What `syncCommand` runs a sync with. */
export interface SyncCommandRequest extends CommandRequest {
  connectorVersion: string;
  databaseUrl: string;
  stderrIsTTY: boolean;
  /** `serve`: the store it keeps open across requests (closed by it, not here); default one opened for this sync. */
  store?: Store;
  /** `serve`: false once its first sync applied the migrations (default true). */
  migrate?: boolean;
}

/** `sync`, `collect`, `extract`, `convert`: exit code 0 succeeded, 1 failed, 130 interrupted. */
export async function syncCommand(
  request: SyncCommandRequest,
  args: CliArguments & { command: SyncMode },
  output: CliOutput,
): Promise<number> {
  const { databaseUrl, stderrIsTTY, store: shared, ...common } = request;
  const mode: SyncMode = args.command === 'sync' ? 'sync' : args.command;
  const streams = args.stream ? [args.stream] : args.streams;
  // Unknown stream names and unusable URLs are refused before the database is opened (or created).
  selectStreams(request.connector, streams);
  parseDatabaseUrl(databaseUrl);
  const store = shared ?? (await openStore(databaseUrl));
  const started = Date.now();
  const progress = createProgressRenderer({ write: (text: string) => output.err(text), isTTY: stderrIsTTY });
  try {
    const result = await runSync({
      ...common,
      store,
      mode,
      ...(streams.length > 0 ? { streams } : {}),
      full: args.full,
      onEvent: (event) => (output.json ? output.message(event) : progress(event)),
    });
    if (output.json) {
      const { error, ...rest } = result;
      output.message({
        type: 'result',
        command: args.command,
        ...rest,
        ...(error ? { error: error.toJSON() } : {}),
        peakRssMB: peakRssMB(),
      });
    } else {
      output.out(`${renderSyncResult(result, Date.now() - started)}\n`);
    }
    if (result.status === 'aborted') return 130;
    return result.status === 'failed' ? 1 : 0;
  } finally {
    if (!shared) await store.close();
  }
}

/** This process's peak resident set size so far, in MB (what a memory budget is checked against). */
function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 102.4) / 10;
}
