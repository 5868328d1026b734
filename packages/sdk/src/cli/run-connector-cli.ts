import { connectorInfo } from '../contract/connector-info.js';
import type { Connector } from '../contract/define-connector.js';
import { validateContext } from '../engine/sync-context.js';
import { LakeError, type LakeErrorCode, messageOf } from '../errors/lake-error.js';
import { setDefaultCredentialBudget } from '../http/credential-budget.js';
import { Redactor } from '../secrets/redactor.js';
import { collectSecrets } from '../secrets/secret.js';
import { DEFAULT_DATABASE_URL, databaseUrlSecrets } from '../store/database-url.js';
import { type CommandRequest, remoteScopesCommand, syncCommand, testConnectionCommand } from './cli-commands.js';
import { CliOutput } from './cli-output.js';
import { parseCliArguments, usage } from './parse-arguments.js';
import { readContext } from './read-context.js';
import { routeWritesThrough } from './redacting-output.js';
import { serveCommand } from './serve-command.js';
import { terminalLines } from './terminal-text.js';

export interface CliIo {
  argv: readonly string[];
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Aborts a running sync (SIGINT/SIGTERM in the real binary). */
  signal?: AbortSignal;
  /**
   * Called once the context is read and its secrets are known. The CLI redacts what it writes
   * itself in any case; the real binary also routes everything else the process writes
   * (connector code's `console.log`, `process.stdout.write`) through the redactor from here on.
   */
  redactOutput?: (redactor: Redactor) => void;
}

export interface ConnectorCliOptions {
  /** The connector package's version (from its package.json). */
  version: string;
}

/** Errors in what the user asked for, not in running it: exit code 2. */
const USAGE_ERRORS: ReadonlySet<LakeErrorCode> = new Set([
  'USAGE',
  'CONFIG_INVALID',
  'CONTEXT_INVALID',
  'DATABASE_URL_INVALID',
  'STREAM_UNKNOWN',
]);

/**
 * The connector CLI, in-process: returns the exit code instead of exiting, so tests drive
 * it directly. Exit codes: 0 success, 1 failure (one-line reason on stderr, or an `error`
 * JSON line), 2 usage or configuration error (bad arguments, context, database URL or stream
 * name: nothing was opened or written), 130 interrupted.
 */
export async function runConnectorCli(connector: Connector, options: ConnectorCliOptions, io: CliIo): Promise<number> {
  const binary = `lake-connector-${connector.name.replaceAll('_', '-')}`;
  const output = new CliOutput(io.stdout, io.stderr, io.argv.includes('--json'));
  try {
    const args = parseCliArguments(io.argv);
    output.json = args.json;
    if (args.command === 'help') {
      output.out(`${usage(binary)}\n`);
      return 0;
    }
    if (args.command === 'version') {
      output.out(`${options.version}\n`);
      return 0;
    }
    if (args.command === 'info') {
      output.out(`${JSON.stringify(connectorInfo(connector, options.version), null, args.json ? undefined : 2)}\n`);
      return 0;
    }
    // The runtime passes the URL in the environment: a password in argv shows in process listings.
    const databaseUrl = args.db ?? (process.env.LAKE_DATABASE_URL || DEFAULT_DATABASE_URL);
    if (args.command === 'serve') {
      const session = { connector, version: options.version, databaseUrl, output, stdin: io.stdin };
      return await serveCommand(
        {
          ...session,
          ...(io.signal ? { signal: io.signal } : {}),
          ...(io.redactOutput ? { redactOutput: io.redactOutput } : {}),
        },
        args,
        (error) => reportError(output, error),
      );
    }
    const connectionOnly = args.command === 'test-connection' || args.command === 'remote-scopes';
    const context = await readContext(args.context, io.stdin);
    // Validated here, before anything is opened: a bad context must not leave an empty database behind.
    const validated = validateContext(connector, context, connectionOnly ? ['connection'] : undefined);
    output.redactor = new Redactor([
      ...collectSecrets(validated.connection),
      ...databaseUrlSecrets(databaseUrl),
      // A worker's shared rate-limit database (its queue's): its password is as secret as the lake's.
      ...databaseUrlSecrets(process.env.LAKE_RATE_LIMIT_URL ?? ''),
    ]);
    io.redactOutput?.(output.redactor);
    const request: CommandRequest = {
      connector,
      context,
      logSink: output.logSink,
      logLevel: args.logLevel,
      ...(io.signal ? { signal: io.signal } : {}),
    };
    if (args.command === 'test-connection') return await testConnectionCommand(request, output);
    if (args.command === 'remote-scopes') return await remoteScopesCommand(request, args, output);
    const syncRequest = {
      ...request,
      connectorVersion: options.version,
      databaseUrl,
      stderrIsTTY: Boolean(io.stderr.isTTY),
    };
    return await syncCommand(syncRequest, { ...args, command: args.command }, output);
  } catch (error) {
    return reportError(output, error);
  }
}

/** A command that could not run: its `error` line (or one line on stderr), and its exit code. */
function reportError(output: CliOutput, error: unknown): number {
  const lakeError = error instanceof LakeError ? error : new LakeError('STREAM_FAILED', messageOf(error));
  if (output.json) output.message({ type: 'error', ...lakeError.toJSON() });
  else output.err(`${terminalLines(lakeError.message)}\n`);
  return USAGE_ERRORS.has(lakeError.code) ? 2 : 1;
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
  // A worker of a scaled-out lake: every API client of this process takes its credential's
  // requests from the budget the workers share in PostgreSQL.
  const shared = process.env.LAKE_RATE_LIMIT_URL
    ? await (await import('../http/postgres-credential-budget.js')).PostgresCredentialBudget.open(
        process.env.LAKE_RATE_LIMIT_URL,
      )
    : undefined;
  setDefaultCredentialBudget(shared);
  const code = await runConnectorCli(connector, options, {
    argv: process.argv.slice(2),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    // Connector code may console.log a token: from the moment the secrets are known, nothing
    // the process writes reaches stdout or stderr unredacted.
    redactOutput(redactor) {
      const redact = (text: string) => redactor.redactExact(text);
      routeWritesThrough(process.stdout, redact);
      routeWritesThrough(process.stderr, redact);
    },
  });
  // Let piped output drain before exiting (process.exit does not wait for it).
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}
