import { parseArgs } from 'node:util';
import { LakeError } from '@lake/sdk';
import { BAND_EDITIONS, type BandEdition } from './report/bands.js';

export type CommandName = 'run' | 'report' | 'explain';

export type ParsedCommand =
  | { command: 'help' }
  | { command: 'run'; db: string; project: string; steps: string[] | undefined; json: boolean }
  | { command: 'report'; db: string; project: string; from?: string; to?: string; bands: BandEdition; json: boolean }
  | { command: 'explain'; db: string; project: string; pullRequest: string; json: boolean };

const COMMON = {
  db: { type: 'string' },
  project: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const OPTIONS = {
  run: { ...COMMON, step: { type: 'string', multiple: true } },
  report: { ...COMMON, from: { type: 'string' }, to: { type: 'string' }, bands: { type: 'string' } },
  explain: { ...COMMON, 'pull-request': { type: 'string' } },
} as const satisfies Record<CommandName, object>;

/**
 * The command line of `lake-metrics-dora`; a usage error is a LakeError `USAGE` naming the flag.
 * The database URL comes from `--db`, else from `LAKE_DATABASE_URL` (how a runtime passes it,
 * keeping a password off the process list).
 */
export function parseCommand(argv: readonly string[], environment: NodeJS.ProcessEnv = process.env): ParsedCommand {
  const name = argv[0];
  if (name === undefined || name === '--help' || name === '-h') return { command: 'help' };
  if (!isCommandName(name)) throw usage(`unknown command "${name}": the commands are run, report, explain`, 'command');
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv.slice(1), allowPositionals: true, strict: true, options: OPTIONS[name] });
  } catch (error) {
    throw usage((error as Error).message, 'option');
  }
  const values = parsed.values;
  if (values.help) return { command: 'help' };
  if (parsed.positionals.length > 0) throw usage(`unexpected argument "${parsed.positionals[0]}"`, 'argument');
  const db = required(values.db ?? environment.LAKE_DATABASE_URL, 'db', '<url> (or LAKE_DATABASE_URL)');
  const project = required(values.project, 'project', '<name>');
  const json = values.json === true;
  if (name === 'run') return { command: name, db, project, steps: values.step as string[] | undefined, json };
  if (name === 'explain')
    return { command: name, db, project, pullRequest: required(values['pull-request'], 'pull-request', '<id>'), json };
  const bands = (values.bands as string | undefined) ?? '2023';
  if (!BAND_EDITIONS.includes(bands as BandEdition)) throw usage(`--bands "${bands}" is not 2023 or 2021`, 'bands');
  return {
    command: name,
    db,
    project,
    json,
    bands: bands as BandEdition,
    ...(values.from === undefined ? {} : { from: String(values.from) }),
    ...(values.to === undefined ? {} : { to: String(values.to) }),
  };
}

function isCommandName(name: string): name is CommandName {
  return name in OPTIONS;
}

function required(value: unknown, flag: string, placeholder: string): string {
  if (typeof value !== 'string' || value === '') throw usage(`--${flag} ${placeholder} is required`, flag);
  return value;
}

function usage(message: string, field: string): LakeError {
  return new LakeError('USAGE', message, { source: 'metrics-dora', details: { field } });
}
