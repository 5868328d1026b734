import { connectorInfo } from '../contract/connector-info.js';
import type { Connector } from '../contract/define-connector.js';
import { runListRemoteScopes, runTestConnection } from '../engine/connection-tasks.js';
import { runSync, type SyncMode } from '../engine/sync.js';
import { ConfigError } from '../errors/config-error.js';
import { LakeError } from '../errors/lake-error.js';
import { formatLogLine, type LogEntry } from '../logging/logger.js';
import { DEFAULT_DATABASE_URL } from '../store/database-url.js';
import { openStore } from '../store/store.js';
import { parseCliArguments, usage } from './parse-arguments.js';
import { readContext } from './read-context.js';
import { createProgressRenderer, formatTable, renderSyncResult } from './render.js';

/**
 * Node flags for processes that run syncs. V8 grows the young generation to ~130 MB under a
 * sync's allocation pattern (many short-lived rows); capping it at 16 MB semi-spaces cuts
 * peak RSS by ~70 MB at 1,000,000 records and is no slower. Flags of this kind only take
 * effect at process start, so whoever launches a connector passes them (a connector's `bin`
 * carries them in its shebang: `#!/usr/bin/env -S node --max-semi-space-size=16`).
 */
export const SYNC_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];

export interface CliIo {
  argv: readonly string[];
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborts a running sync (SIGINT/SIGTERM in the real binary). */
  signal?: AbortSignal;
}

export interface ConnectorCliOptions {
  /** The connector package's version (from its package.json). */
  version: string;
}

/**
 * The connector CLI, in-process: returns the exit code instead of exiting, so tests drive
 * it directly. Exit codes: 0 success, 1 failure (one-line reason on stderr, or an `error`
 * JSON line), 2 usage or configuration error, 130 interrupted.
 */
export async function runConnectorCli(connector: Connector, options: ConnectorCliOptions, io: CliIo): Promise<number> {
  const binary = `lake-connector-${connector.name.replaceAll('_', '-')}`;
  let json = io.argv.includes('--json');
  const writeJson = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  try {
    const args = parseCliArguments(io.argv);
    json = args.json;
    if (args.command === 'help') {
      io.stdout.write(`${usage(binary)}\n`);
      return 0;
    }
    if (args.command === 'version') {
      io.stdout.write(`${options.version}\n`);
      return 0;
    }
    if (args.command === 'info') {
      io.stdout.write(`${JSON.stringify(connectorInfo(connector, options.version), null, json ? undefined : 2)}\n`);
      return 0;
    }
    const context = await readContext(args.context, io.stdin);
    const logSink = (entry: LogEntry) => {
      if (json) writeJson({ type: 'log', ...entry });
      else io.stderr.write(`${formatLogLine(entry)}\n`);
    };
    const common = {
      connector,
      context,
      logSink,
      logLevel: args.logLevel,
      ...(io.signal ? { signal: io.signal } : {}),
    };

    if (args.command === 'test-connection') {
      const result = await runTestConnection(common);
      if (json) writeJson({ type: 'result', command: 'test-connection', ...result });
      else (result.ok ? io.stdout : io.stderr).write(`${result.ok ? 'ok' : 'failed'}: ${result.message}\n`);
      return result.ok ? 0 : 1;
    }
    if (args.command === 'remote-scopes') {
      const page = await runListRemoteScopes({
        ...common,
        ...(args.group === undefined ? {} : { groupId: args.group }),
        ...(args.pageToken === undefined ? {} : { pageToken: args.pageToken }),
      });
      if (json) {
        writeJson({ type: 'result', command: 'remote-scopes', ...page });
      } else {
        io.stdout.write(
          `${formatTable(
            ['kind', 'id', 'name'],
            page.entries.map((entry) => [entry.kind, entry.id, entry.name]),
          )}\n`,
        );
        if (page.nextPageToken) io.stdout.write(`more: --page-token ${page.nextPageToken}\n`);
      }
      return 0;
    }

    const mode: SyncMode = args.command === 'sync' ? 'sync' : args.command;
    const store = await openStore(
      // The runtime passes the URL in the environment: a password in argv shows in process listings.
      args.db ?? (process.env.LAKE_DATABASE_URL || DEFAULT_DATABASE_URL),
    );
    const started = Date.now();
    const progress = createProgressRenderer(io.stderr);
    try {
      const result = await runSync({
        ...common,
        store,
        connectorVersion: options.version,
        mode,
        ...(args.stream ? { streams: [args.stream] } : args.streams.length > 0 ? { streams: args.streams } : {}),
        full: args.full,
        onEvent: (event) => (json ? writeJson(event) : progress(event)),
      });
      if (json) {
        const { error, ...rest } = result;
        writeJson({ type: 'result', command: args.command, ...rest, ...(error ? { error: error.toJSON() } : {}) });
      } else {
        io.stdout.write(`${renderSyncResult(result, Date.now() - started)}\n`);
      }
      if (result.status === 'aborted') return 130;
      return result.status === 'failed' ? 1 : 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    const lakeError =
      error instanceof LakeError
        ? error
        : new LakeError('STREAM_FAILED', error instanceof Error ? error.message : String(error));
    if (json) writeJson({ type: 'error', ...lakeError.toJSON() });
    else io.stderr.write(`${lakeError.message}\n`);
    return lakeError.code === 'USAGE' || error instanceof ConfigError || lakeError.code === 'CONTEXT_INVALID' ? 2 : 1;
  }
}

/**
 * Entry point of a connector's `bin`: wires process streams and signals, then exits with
 * the CLI's code.
 *
 *   #!/usr/bin/env node
 *   import { main } from '@lake/sdk/cli';
 *   import connector from './index.js';
 *   await main(connector, { version: '1.2.3' });
 */
export async function main(connector: Connector, options: ConnectorCliOptions): Promise<never> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(
      `[lake] Node ${process.versions.node} is too old; Lake needs Node 22.12 or newer (24 LTS recommended)\n`,
    );
    process.exit(1);
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\n[lake] stopping after the current batch (press Ctrl-C again to quit at once)\n');
    controller.abort(new Error('interrupted by signal'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runConnectorCli(connector, options, {
    argv: process.argv.slice(2),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  });
  // Let piped output drain before exiting (process.exit does not wait for it).
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}
