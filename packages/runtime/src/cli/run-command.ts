import { parseArgs } from 'node:util';
import { messageOf } from '@lake/sdk/host';
import { RuntimeError, type RuntimeErrorCode } from '../errors.js';
import { projectPaths } from '../project/project-paths.js';
import type { CommandContext, CommandHandler } from './command-context.js';
import { type CommandName, commandHelp } from './help.js';

/** The options each command accepts, besides the global ones. */
const OFFLINE = { offline: { type: 'boolean' }, 'prefer-offline': { type: 'boolean' } } as const;

const OPTIONS = {
  init: { force: { type: 'boolean' } },
  install: { frozen: { type: 'boolean' }, force: { type: 'boolean' }, ...OFFLINE },
  add: {
    path: { type: 'string' },
    tarball: { type: 'string' },
    'allow-downgrade': { type: 'boolean' },
    ...OFFLINE,
  },
  remove: { ...OFFLINE },
  upgrade: { ...OFFLINE },
  outdated: { ...OFFLINE },
  list: {},
  info: { ...OFFLINE },
  search: { ...OFFLINE },
  doctor: {},
  verify: {},
  check: {},
  'test-connection': {},
  sync: { scope: { type: 'string', multiple: true }, full: { type: 'boolean' } },
  metrics: { from: { type: 'string' }, to: { type: 'string' }, bands: { type: 'string' } },
  status: { limit: { type: 'string' }, connection: { type: 'string' }, 'read-only': { type: 'boolean' } },
  schedule: {},
  worker: { concurrency: { type: 'string' } },
  secret: {},
  webhook: {
    port: { type: 'string' },
    host: { type: 'string' },
    connection: { type: 'string', multiple: true },
    'max-body-bytes': { type: 'string' },
  },
  ui: { port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' } },
} as const satisfies Record<CommandName, Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const GLOBAL = {
  project: { type: 'string', short: 'C' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function handlerFor(command: CommandName): Promise<CommandHandler> {
  switch (command) {
    case 'init':
      return (await import('./commands/init-command.js')).initCommand;
    case 'install':
    case 'add':
    case 'remove':
    case 'upgrade':
      return (await import('./commands/install-commands.js')).installCommands[command];
    case 'search':
      return (await import('./commands/search-command.js')).searchCommand;
    case 'outdated':
      return (await import('./commands/outdated-command.js')).outdatedCommand;
    case 'list':
    case 'info':
    case 'verify':
    case 'doctor':
      return (await import('./commands/inspect-commands.js')).inspectCommands[command];
    case 'check':
      return (await import('./commands/check-command.js')).checkCommand;
    case 'test-connection':
      return (await import('./commands/test-connection-command.js')).testConnectionCommand;
    case 'sync':
      return (await import('./commands/sync-command.js')).syncCommand;
    case 'metrics':
      return (await import('./commands/metrics-command.js')).metricsCommand;
    case 'status':
      return (await import('./commands/status-command.js')).statusCommand;
    case 'schedule':
      return (await import('./commands/schedule-command.js')).scheduleCommand;
    case 'worker':
      return (await import('./commands/worker-command.js')).workerCommand;
    case 'secret':
      return (await import('./commands/secret-command.js')).secretCommand;
    case 'webhook':
      return (await import('./commands/webhook-command.js')).webhookCommand;
    case 'ui':
      return (await import('./commands/ui-command.js')).uiCommand;
  }
}

/**
 * Runs one command and returns its exit code: 0 done, 1 failed (or, for `outdated` and
 * `verify`, found something), 2 bad usage or configuration, 130 interrupted.
 */
export async function runCommand(
  command: CommandName,
  argv: readonly string[],
  root: string,
  io: Pick<CommandContext, 'stdout' | 'stderr' | 'stdin' | 'environment'> = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    environment: process.env,
  },
): Promise<number> {
  let json = argv.includes('--json');
  try {
    const parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...GLOBAL, ...OPTIONS[command] },
    });
    json = Boolean(parsed.values.json);
    if (parsed.values.help) {
      io.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const positionals = parsed.positionals.slice(parsed.positionals.indexOf(command) + 1);
    if (io.environment.LAKE_DEBUG) traceNpm(io.stderr);
    const handler = await handlerFor(command);
    const values = parsed.values as Record<string, unknown>;
    if (values.offline && values['prefer-offline'])
      throw new RuntimeError('USAGE', 'give one of --offline and --prefer-offline');
    // The flags and their variables are one setting: npm's options read the variables.
    const environment = values.offline
      ? { ...io.environment, LAKE_OFFLINE: '1' }
      : values['prefer-offline']
        ? { ...io.environment, LAKE_PREFER_OFFLINE: '1' }
        : io.environment;
    return await handler({
      ...io,
      environment,
      paths: projectPaths(root),
      positionals,
      options: parsed.values as Record<string, string | boolean | string[] | undefined>,
      json,
    });
  } catch (error) {
    const failure = asRuntimeError(error, command);
    if (json) io.stdout.write(`${JSON.stringify({ error: failure.toJSON() })}\n`);
    else io.stderr.write(`lake ${command}: ${failure.message}\n`);
    if (io.environment.LAKE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return exitCodeOf(failure);
  }
}

/** Any failure as a RuntimeError: the SDK's LakeErrors keep their code in `details.code`. */
function asRuntimeError(error: unknown, command: string): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return new RuntimeError('USAGE', `${(error as Error).message} (see \`lake ${command} --help\`)`);
  }
  const message = messageOf(error);
  return new RuntimeError('COMMAND_FAILED', message, {
    cause: error,
    ...(typeof code === 'string' ? { details: { code } } : {}),
  });
}

/** Errors the operator fixes in lake.yaml, the environment or the command line: exit 2, as connectors do. */
const CONFIGURATION_ERRORS = new Set<RuntimeErrorCode>([
  'USAGE',
  'MANIFEST_INVALID',
  'SECRET_MISSING',
  'SETTINGS_INVALID',
  'CONNECTION_UNKNOWN',
  'SCOPE_UNKNOWN',
  'PROJECT_UNKNOWN',
]);

function exitCodeOf(error: RuntimeError): number {
  if (error.code === 'INTERRUPTED') return 130;
  return CONFIGURATION_ERRORS.has(error.code) ? 2 : 1;
}

/** `LAKE_DEBUG=1`: npm's own log lines (proc-log events of pacote, arborist, the fetcher) on stderr. */
function traceNpm(stderr: NodeJS.WritableStream): void {
  process.on(
    'log' as never,
    ((level: string, ...parts: unknown[]) => {
      if (level === 'silly' && !process.env.LAKE_DEBUG?.includes('silly')) return;
      stderr.write(`npm ${level} ${parts.map((part) => messageOf(part)).join(' ')}\n`);
    }) as never,
  );
}
