import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SYNC_NODE_FLAGS } from '@lake/sdk/host';
import type { ProjectPaths } from '../project/project-paths.js';
import { connectorInfoText } from '../settings/connector-schemas.js';
import { ConnectorLines, type ConnectorOutputOptions, type ConnectorReport } from './connector-output.js';
import { interruptConnector, spawnConnector } from './spawn-connector.js';
import type { WorkingConnector } from './working-set.js';

/** Where and how a connector's `serve` processes run: one pool of them per distinct launch. */
export interface ServeLaunch {
  cli: string;
  cwd: string;
  environment: NodeJS.ProcessEnv;
  /** LAKE_DATABASE_URL, LAKE_RATE_LIMIT_URL. */
  context: Record<string, string>;
}

/** One sync for a served process: the request line's fields. */
export interface ServeRequest {
  context: unknown;
  full: boolean;
  logLevel: 'debug' | 'info';
}

export interface PoolOptions {
  /** A process is retired after this many jobs (default 100). */
  maxJobs?: number;
  /** … or once its reported peak RSS exceeds this many MB (default 256). */
  maxRssMB?: number;
}

/** A request in flight: its lines, and how it ends. */
interface CurrentRequest {
  lines: ConnectorLines;
  finish(exitCode: number | null): void;
}

interface ServedProcess {
  key: string;
  child: ChildProcessWithoutNullStreams;
  jobs: number;
  exited: boolean;
  /** Sent SIGINT (its job was aborted): it ends the request, then exits. */
  interrupted: boolean;
  current: CurrentRequest | undefined;
  exit: Promise<void>;
}

/**
 * `lake worker`'s long-lived connector processes: per connector launch, `serve --json`
 * processes that each run one job at a time (a request line on stdin, read back to its
 * `request-end`), so a job costs its sync, not a Node start and the connector's module
 * loading. At most as many per connector as jobs run at once (a process is started only when
 * none is idle, and the worker runs at most its concurrency). A process that dies mid-job
 * fails that job as a per-job process dying would, and is dropped; one past its job count or
 * memory budget is retired after its job.
 */
export class ConnectorProcessPool {
  readonly #idle = new Map<string, ServedProcess[]>();
  readonly #all = new Set<ServedProcess>();
  readonly #serves = new Map<string, Promise<boolean>>();
  readonly #maxJobs: number;
  readonly #maxRssMB: number;
  #closed = false;

  constructor(options: PoolOptions = {}) {
    this.#maxJobs = options.maxJobs ?? 100;
    this.#maxRssMB = options.maxRssMB ?? 256;
  }

  /**
   * Whether an installed connector can serve: its (cached) `info --json` lists `serve` among its
   * commands. One built with an older SDK does not, and keeps a process per job.
   */
  canServe(paths: ProjectPaths, installed: WorkingConnector, environment: NodeJS.ProcessEnv): Promise<boolean> {
    let answer = this.#serves.get(installed.directory);
    if (!answer) {
      answer = connectorInfoText(paths, installed, environment)
        .then((text) => {
          const commands = (JSON.parse(text) as { commands?: unknown }).commands;
          return Array.isArray(commands) && commands.includes('serve');
        })
        .catch(() => false);
      this.#serves.set(installed.directory, answer);
    }
    return answer;
  }

  /** Runs one sync in an idle (or new) process of `launch`, aborted (SIGINT) with `signal`. */
  async run(
    launch: ServeLaunch,
    request: ServeRequest,
    options: ConnectorOutputOptions & { signal?: AbortSignal },
  ): Promise<ConnectorReport> {
    const served = this.#take(launch);
    served.jobs += 1;
    options.log.write(`# served by connector process ${served.child.pid} (its job ${served.jobs})`);
    const lines = new ConnectorLines(options);
    const done = new Promise<ConnectorReport>((resolve) => {
      served.current = {
        lines,
        finish: (exitCode) => {
          served.current = undefined;
          resolve(lines.end(exitCode));
        },
      };
    });
    const onAbort = () => {
      served.interrupted = true;
      interruptConnector(served.child);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    served.child.stdin.write(`${JSON.stringify({ type: 'sync-request', ...request })}\n`);
    const report = await done;
    options.signal?.removeEventListener('abort', onAbort);
    this.#giveBack(served, report);
    return report;
  }

  /** Ends every process's stdin (each exits when its request is over), waits, then kills what is left. */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closed = true;
    const processes = [...this.#all];
    for (const served of processes) served.child.stdin.end();
    const timer = setTimeout(() => {
      for (const served of processes) if (!served.exited) served.child.kill('SIGKILL');
    }, timeoutMs);
    await Promise.all(processes.map((served) => served.exit));
    clearTimeout(timer);
    this.#idle.clear();
  }

  #take(launch: ServeLaunch): ServedProcess {
    const key = JSON.stringify([launch.cli, launch.cwd, launch.context]);
    const idle = this.#idle.get(key) ?? [];
    for (let served = idle.pop(); served; served = idle.pop()) {
      if (!served.exited && !served.interrupted) return served;
    }
    return this.#start(key, launch);
  }

  #giveBack(served: ServedProcess, report: ConnectorReport): void {
    if (served.exited || served.interrupted) return;
    const peak = report.result?.peakRssMB ?? 0;
    if (this.#closed || served.jobs >= this.#maxJobs || peak > this.#maxRssMB) {
      served.child.stdin.end();
      return;
    }
    const idle = this.#idle.get(served.key) ?? [];
    idle.push(served);
    this.#idle.set(served.key, idle);
  }

  #start(key: string, launch: ServeLaunch): ServedProcess {
    const child = spawnConnector(launch.cli, ['serve', '--json'], {
      cwd: launch.cwd,
      environment: launch.environment,
      context: launch.context,
      nodeFlags: SYNC_NODE_FLAGS,
    });
    let exited: () => void = () => {};
    const served: ServedProcess = {
      key,
      child,
      jobs: 0,
      exited: false,
      interrupted: false,
      current: undefined,
      exit: new Promise<void>((resolve) => (exited = resolve)),
    };
    this.#all.add(served);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = served.current?.lines.stdout(line);
      if (message?.type === 'request-end') served.current?.finish(message.exitCode);
    });
    // Between requests nobody reads it: a line there belongs to no scope's log.
    createInterface({ input: child.stderr }).on('line', (line) => served.current?.lines.stderr(line));
    const end = (exitCode: number | null, failure?: string) => {
      if (served.exited) return;
      served.exited = true;
      this.#all.delete(served);
      if (failure && served.current) served.current.lines.report.failure = failure;
      // Gone before its request ended: the job fails as a per-job process dying fails it.
      served.current?.finish(exitCode);
      exited();
    };
    child.on('error', (error) => end(null, `cannot start ${launch.cli}: ${error.message}`));
    child.on('close', (code, signal) => end(code ?? (signal ? 128 : null)));
    return served;
  }
}
