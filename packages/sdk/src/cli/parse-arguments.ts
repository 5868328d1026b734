import { parseArgs } from 'node:util';
import { LakeError } from '../errors/lake-error.js';

export const COMMANDS = [
  'info',
  'test-connection',
  'remote-scopes',
  'sync',
  'collect',
  'extract',
  'convert',
  'serve',
] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArguments {
  command: Command | 'help' | 'version';
  /** The stream named by `collect|extract|convert <stream>`. */
  stream?: string;
  context?: string;
  db?: string;
  streams: string[];
  full: boolean;
  json: boolean;
  group?: string;
  pageToken?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function parseCliArguments(argv: readonly string[]): CliArguments {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new LakeError('USAGE', (error as Error).message);
  }
  const { values, positionals } = parsed;
  const [first, second, ...rest] = positionals;
  if (values.version) return base('version', values);
  if (values.help || first === undefined || first === 'help') return base('help', values);
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new LakeError('USAGE', `unknown command "${first}" (commands: ${COMMANDS.join(', ')})`);
  }
  const command = first as Command;
  const needsStream = command === 'collect' || command === 'extract' || command === 'convert';
  if (needsStream && second === undefined)
    throw new LakeError('USAGE', `${command} needs a stream name: ${command} <stream>`);
  const extra = needsStream ? rest : [second, ...rest].filter((value) => value !== undefined);
  if (extra.length > 0) throw new LakeError('USAGE', `unexpected argument "${extra[0]}"`);
  const logLevel = values['log-level'] ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new LakeError('USAGE', `--log-level must be debug, info, warn or error (got "${logLevel}")`);
  }
  return {
    ...base(command, values),
    ...(needsStream ? { stream: second } : {}),
    logLevel: logLevel as CliArguments['logLevel'],
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      context: { type: 'string' },
      db: { type: 'string' },
      stream: { type: 'string', multiple: true },
      full: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      group: { type: 'string' },
      'page-token': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
}

function base(command: CliArguments['command'], values: ReturnType<typeof parse>['values']): CliArguments {
  return {
    command,
    ...(values.context === undefined ? {} : { context: values.context }),
    ...(values.db === undefined ? {} : { db: values.db }),
    streams: values.stream ?? [],
    full: values.full ?? false,
    json: values.json ?? false,
    ...(values.group === undefined ? {} : { group: values.group }),
    ...(values['page-token'] === undefined ? {} : { pageToken: values['page-token'] }),
    logLevel: 'info',
  };
}

export function usage(binary: string): string {
  return `Usage: ${binary} <command> [options]

Commands:
  info                                  connector name, version, contract, streams and settings schemas (JSON)
  test-connection --context <file|->    check that the connection works
  remote-scopes --context <file|-> [--group <id>] [--page-token <token>]
                                        list groups, or the scopes inside a group
  sync --context <file|-> [--db <url>] [--stream <name>]... [--full]
                                        collect, extract and convert every (or the named) stream of the scope
  collect <stream> --context <file|-> [--db <url>] [--full]
  extract <stream> --context <file|-> [--db <url>]
  convert <stream> --context <file|-> [--db <url>]
  serve [--db <url>]                    long-lived: one sync per request line on stdin, answered with
                                        --json lines and a request-end line each (see @lake/sdk/protocol)

Options:
  --context <file|->   context JSON { connection, scope, scopeConfig, options } from a file, or - for stdin
  --db <url>           sqlite:<path> | postgres://… | mysql://… (default $LAKE_DATABASE_URL, else sqlite:.lake/lake.db)
  --json               JSON lines on stdout instead of human output
  --log-level <level>  debug | info | warn | error (default info)
  -h, --help           this help
  -v, --version        the connector's version`;
}
