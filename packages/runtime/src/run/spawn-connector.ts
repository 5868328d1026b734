import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { connectorEnvironment } from './child-environment.js';

/**
 * Loaded into every connector process before its CLI (`node --import`): the child holds the
 * read end of a pipe (fd 3) whose write end only `lake` holds, so when `lake` dies — even by
 * SIGKILL, when it can run no handler — the pipe closes and the connector stops as Ctrl-C
 * would stop it (after its current batch), then exits for good 10 s later. A data: URL, so it
 * needs no file beside the runtime and no help from the connector's SDK version.
 */
const PARENT_WATCH = [
  "import { Socket } from 'node:net';",
  'try {',
  '  const parent = new Socket({ fd: 3, readable: true, writable: false });',
  "  parent.on('error', () => {});",
  "  parent.on('close', () => {",
  "    process.kill(process.pid, 'SIGTERM');",
  '    setTimeout(() => process.exit(130), 10000).unref();',
  '  });',
  '  parent.resume();',
  '  parent.unref();',
  '} catch {}',
].join('\n');

export const PARENT_WATCH_IMPORT = `data:text/javascript,${encodeURIComponent(PARENT_WATCH)}`;

export interface ConnectorProcessOptions {
  cwd: string;
  /** The runtime's environment: only the allowlisted part reaches the connector. */
  environment: NodeJS.ProcessEnv;
  /** Variables the connector's context needs (LAKE_DATABASE_URL). */
  context?: Record<string, string>;
  /** Node flags (SYNC_NODE_FLAGS for syncs). */
  nodeFlags?: readonly string[];
}

/** Starts a connector's CLI: allowlisted environment, stdin/stdout/stderr piped, stopped when `lake` dies. */
export function spawnConnector(
  cli: string,
  args: readonly string[],
  options: ConnectorProcessOptions,
): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', PARENT_WATCH_IMPORT, cli, ...args], {
    cwd: options.cwd,
    env: connectorEnvironment(options.environment, options.context ?? {}),
    // fd 3: the pipe the child watches. Nothing is ever written to it.
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => {});
  return child as unknown as ChildProcessWithoutNullStreams;
}

/** Stops a connector as Ctrl-C would (after its current batch); one that does not stop within 30 s is killed. */
export function interruptConnector(child: ChildProcessWithoutNullStreams): void {
  child.kill('SIGINT');
  setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
}
