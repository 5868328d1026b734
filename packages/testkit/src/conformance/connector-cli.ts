import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYNC_NODE_FLAGS } from '@lake/sdk/cli';
import { type ProtocolErrorMessage, type ProtocolResultMessage, protocolMessagesOf } from '@lake/sdk/protocol';
import { KILL_POINT_VARIABLES } from '@lake/sdk/testing';

/** How to start a connector's CLI: its built `bin` (`dist/cli.js`), and environment it needs. */
export interface ConnectorCommand {
  /** The script node runs (a connector's `bin`); a `.ts` file runs under Node's type stripping. */
  cli: string | URL;
  /** Variables added to the child's environment. */
  environment?: Readonly<Record<string, string>>;
}

export interface CliRun {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The last `result` or `error` line of `--json` output, when the process printed one. */
  result: ProtocolResultMessage | ProtocolErrorMessage | undefined;
  /** True when the run outlived `timeoutMs` and was killed for it. */
  hung: boolean;
}

export interface CliRunOptions {
  /** Working directory for the context file and kill-point logs. */
  directory: string;
  /** The context object, written to a 0600 file the CLI reads (never argv). */
  context: unknown;
  databaseUrl: string;
  /** Extra arguments after `sync` (`--full`, `--stream …`). */
  args?: readonly string[];
  /** SIGKILL the process at its n-th kill point. */
  killAt?: number;
  /** Append every kill point reached to this file. */
  killPointsLog?: string;
  /** SIGKILL the process from outside after this many milliseconds (a kill at no particular point). */
  killAfterMs?: number;
  /** The CLI command: `sync` by default. */
  command?: readonly string[];
  /** A run still going after this long is killed and reported as hung. Default 5 minutes. */
  timeoutMs?: number;
}

let contextFiles = 0;

/**
 * Runs `<cli> sync --context <file> --json` in a child process against a database, as the
 * runtime does, optionally killing it with SIGKILL at a kill point or after a delay. Output is
 * captured whole (the secret checks read it).
 */
export async function runConnectorCli(command: ConnectorCommand, options: CliRunOptions): Promise<CliRun> {
  const contextFile = join(options.directory, `context-${process.pid}-${++contextFiles}.json`);
  await writeFile(contextFile, JSON.stringify(options.context), { mode: 0o600 });
  const script = typeof command.cli === 'string' ? command.cli : fileURLToPath(command.cli);
  const environment: NodeJS.ProcessEnv = { ...process.env, ...command.environment };
  delete environment[KILL_POINT_VARIABLES.killAt];
  delete environment[KILL_POINT_VARIABLES.log];
  // The runtime hands the URL over in the environment: keep the test as close to it as possible.
  environment.LAKE_DATABASE_URL = options.databaseUrl;
  if (options.killAt !== undefined) environment[KILL_POINT_VARIABLES.killAt] = String(options.killAt);
  if (options.killPointsLog !== undefined) environment[KILL_POINT_VARIABLES.log] = options.killPointsLog;
  const args = [
    ...SYNC_NODE_FLAGS,
    script,
    ...(options.command ?? ['sync']),
    '--context',
    contextFile,
    '--json',
    '--log-level',
    'debug',
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const timer =
    options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 300_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  clearTimeout(guard);
  const text = Buffer.concat(stdout).toString('utf8');
  return { code, signal, stdout: text, stderr: Buffer.concat(stderr).toString('utf8'), result: resultLine(text), hung };
}

/** The labels of the kill points a run reached, in order (`LAKE_KILL_POINTS_LOG`'s lines). */
export async function readKillPoints(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(line.indexOf('\t') + 1));
}

function resultLine(stdout: string): ProtocolResultMessage | ProtocolErrorMessage | undefined {
  // A partial last line from a killed process is not a message: the result, if any, is before it.
  return protocolMessagesOf(stdout).findLast((message) => message.type === 'result' || message.type === 'error');
}

/** One line saying how a run ended, for assertion messages. */
export function describeRun(run: CliRun): string {
  const how = run.hung ? 'hung (killed by the suite)' : run.signal ? `killed by ${run.signal}` : `exit ${run.code}`;
  const error =
    run.result?.type === 'error'
      ? run.result.message
      : run.result && 'error' in run.result
        ? run.result.error?.message
        : undefined;
  const lines = run.stderr.trim().split('\n');
  const tail = lines.slice(-3).join(' | ');
  // An uncaught exception ends with its properties and Node's version: name the error itself too.
  const thrown = lines.find((line) => /^\s*\w*Error\b/.test(line))?.trim();
  const named = thrown && !tail.includes(thrown) ? ` (thrown: ${thrown.slice(0, 300)})` : '';
  return `${how}${error ? `: ${error}` : ''}${named}${tail ? ` (stderr: ${tail.slice(0, 500)})` : ''}`;
}
