import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redactor, type SummaryFact } from '@lake/sdk';
import { SYNC_NODE_FLAGS } from '@lake/sdk/cli';
import { RuntimeError } from '../errors.js';
import { loadManifest } from '../manifest/load-manifest.js';
import { type ConnectionEntry, type Manifest, type ScopeEntry, scopeIdOf } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { recordRunnerFailure } from './run-records.js';
import { loadWorkingSet, type WorkingConnector } from './working-set.js';

export interface SyncSelection {
  /** One connection by name; default every connection. */
  connection?: string;
  /** Scope ids within the selected connection(s); default every scope. */
  scopes?: readonly string[];
  full?: boolean;
  /** Connection names to run (schedules); combined with `connection`. */
  connections?: readonly string[];
}

export interface SyncRunOptions {
  environment?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Every event of every scope, as it happens. */
  onEvent?: (event: ScopeEvent) => void;
  /** Overrides lake.yaml's `sync.concurrency`. */
  concurrency?: number;
}

export interface ScopeJob {
  connection: string;
  connector: string;
  connectionId: number;
  scopeId: string;
}

/** A connector's event (its `--json` lines, secrets scrubbed), tagged with the scope it is about. */
export type ScopeEvent = ScopeJob & { event: Record<string, unknown> & { type: string } };

export interface StreamOutcome {
  name: string;
  status: string;
  records: number;
  toolRows: number;
  domainRows: number;
  removed: number;
  elapsedMs: number;
  error?: string;
}

export interface ScopeOutcome extends ScopeJob {
  version: string;
  status: 'succeeded' | 'failed' | 'aborted' | 'skipped';
  streams: StreamOutcome[];
  /** The connector's facts about the scope (commits, authors…), for the summary. */
  summary: SummaryFact[];
  error?: string;
  skipReason?: string;
  elapsedMs: number;
  logFile: string;
  exitCode: number | null;
}

interface PreparedJob extends ScopeJob {
  installed: WorkingConnector;
  context: unknown;
  scrubber: Redactor;
}

/**
 * `lake sync`: runs every selected scope in its connector's own process (the connector CLI
 * from its install directory, so each runs with its own dependency tree), up to the
 * concurrency limit at once. Contexts, secrets included, go to the child on stdin; events
 * come back as JSON lines. A child that dies without a result still leaves a failed run in
 * `_lake_runs`.
 */
export async function syncProject(
  paths: ProjectPaths,
  selection: SyncSelection = {},
  options: SyncRunOptions = {},
): Promise<ScopeOutcome[]> {
  const environment = options.environment ?? process.env;
  const manifest = await loadManifest(paths);
  const working = await loadWorkingSet(paths);
  const database = await resolveReferences(paths, environment, manifest.database, 'database');
  const jobs = await prepareJobs(paths, manifest, selection, working, environment);
  const limit = options.concurrency ?? manifest.sync.concurrency;
  const outcomes: ScopeOutcome[] = new Array(jobs.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, jobs.length) }, async () => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      for (const value of database.substituted) addSecret(job.scrubber, value);
      outcomes[index] = await runScope(paths, job, database.value, selection.full ?? false, environment, options);
    }
  });
  await Promise.all(workers);
  return outcomes;
}

async function prepareJobs(
  paths: ProjectPaths,
  manifest: Manifest,
  selection: SyncSelection,
  working: Map<string, WorkingConnector>,
  environment: NodeJS.ProcessEnv,
): Promise<PreparedJob[]> {
  let connections = manifest.connections;
  if (selection.connection !== undefined) {
    connections = connections.filter((connection) => connection.name === selection.connection);
    if (connections.length === 0) {
      throw new RuntimeError(
        'CONNECTION_UNKNOWN',
        `no connection named "${selection.connection}" in lake.yaml (connections: ${manifest.connections.map((c) => c.name).join(', ') || 'none'})`,
      );
    }
  }
  if (selection.connections) {
    const wanted = new Set(selection.connections);
    connections = connections.filter((connection) => wanted.has(connection.name));
  }
  if (connections.length === 0) {
    throw new RuntimeError('CONNECTION_UNKNOWN', 'lake.yaml has no connections to sync (add one under connections:)');
  }
  const jobs: PreparedJob[] = [];
  const unmatchedScopes = new Set(selection.scopes ?? []);
  for (const connection of connections) {
    const installed = working.get(connection.connector);
    if (!installed) {
      throw new RuntimeError(
        'NOT_INSTALLED',
        `connector ${connection.connector} (connection "${connection.name}") is not installed; run \`lake install\``,
      );
    }
    for (const scope of connection.scopes) {
      const scopeId = scopeIdOf(scope);
      if (selection.scopes && !selection.scopes.includes(scopeId)) continue;
      unmatchedScopes.delete(scopeId);
      jobs.push(await prepareJob(paths, connection, scope, scopeId, installed, environment));
    }
  }
  if (unmatchedScopes.size > 0) {
    const known = connections.flatMap((connection) =>
      connection.scopes.map((scope) => `${connection.name}: ${scopeIdOf(scope)}`),
    );
    throw new RuntimeError(
      'SCOPE_UNKNOWN',
      `no scope ${[...unmatchedScopes].map((id) => `"${id}"`).join(', ')} in the selected connections (scopes: ${known.join('; ')})`,
    );
  }
  return jobs;
}

async function prepareJob(
  paths: ProjectPaths,
  connection: ConnectionEntry,
  scope: ScopeEntry,
  scopeId: string,
  installed: WorkingConnector,
  environment: NodeJS.ProcessEnv,
): Promise<PreparedJob> {
  const at = `connections[${connection.name}]`;
  const resolved = await resolveReferences(
    paths,
    environment,
    {
      connection: { id: connection.id, ...connection.settings },
      scope: scope.scope,
      scopeConfig: scope.config,
      ...(connection.options ? { options: connection.options } : {}),
    },
    at,
  );
  return {
    connection: connection.name,
    connector: connection.connector,
    connectionId: connection.id,
    scopeId,
    installed,
    context: resolved.value,
    scrubber: redactorFor(resolved.substituted),
  };
}

async function runScope(
  paths: ProjectPaths,
  job: PreparedJob,
  databaseUrl: string,
  full: boolean,
  environment: NodeJS.ProcessEnv,
  options: SyncRunOptions,
): Promise<ScopeOutcome> {
  const started = Date.now();
  await mkdir(paths.logs, { recursive: true });
  const stamp = new Date(started)
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z');
  const logFile = join(paths.logs, `${stamp}-${safe(job.connection)}-${safe(job.scopeId)}.log`);
  const log = createWriteStream(logFile, { flags: 'a', mode: 0o600 });
  const identity: ScopeJob = {
    connection: job.connection,
    connector: job.connector,
    connectionId: job.connectionId,
    scopeId: job.scopeId,
  };
  const emit = (event: ScopeEvent['event']) => options.onEvent?.({ ...identity, event });
  const outcome: ScopeOutcome = {
    ...identity,
    version: job.installed.version,
    status: 'failed',
    streams: [],
    summary: [],
    elapsedMs: 0,
    logFile,
    exitCode: null,
  };
  writeLog(
    log,
    job.scrubber,
    `# ${job.connector} ${job.installed.version} · ${job.connection} · ${job.scopeId} · ${full ? 'full' : 'incremental'} sync`,
  );

  const args = [
    ...SYNC_NODE_FLAGS,
    job.installed.cli,
    'sync',
    '--context',
    '-',
    '--json',
    ...(full ? ['--full'] : []),
    // LAKE_DEBUG: the connector logs every request (URLs redacted) into the scope's log file.
    ...(environment.LAKE_DEBUG ? ['--log-level', 'debug'] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: paths.root,
    env: { ...childEnvironment(environment), LAKE_DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const onAbort = () => {
    child.kill('SIGINT');
    // A connector stops after its current batch; one that does not is stopped hard.
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  child.stdin.on('error', () => {});
  child.stdin.end(JSON.stringify(job.context));

  let result: Record<string, unknown> | undefined;
  let failure: string | undefined;
  const stderrTail: string[] = [];
  const stdout = createInterface({ input: child.stdout });
  stdout.on('line', (line) => {
    const clean = job.scrubber.redact(line);
    writeLog(log, undefined, clean);
    let event: ScopeEvent['event'];
    try {
      event = JSON.parse(clean) as ScopeEvent['event'];
    } catch {
      return;
    }
    if (event.type === 'result') result = event;
    else if (event.type === 'error') failure = String(event.message ?? 'failed');
    emit(event);
  });
  const stderr = createInterface({ input: child.stderr });
  stderr.on('line', (line) => {
    const clean = job.scrubber.redact(line);
    writeLog(log, undefined, `[stderr] ${clean}`);
    stderrTail.push(clean);
    if (stderrTail.length > 20) stderrTail.shift();
  });
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      failure = `cannot start ${job.installed.cli}: ${error.message}`;
      resolve(null);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
  options.signal?.removeEventListener('abort', onAbort);
  await Promise.all([once(stdout), once(stderr)]);
  outcome.exitCode = exitCode;
  outcome.elapsedMs = Date.now() - started;

  if (result) {
    outcome.status = result.status as ScopeOutcome['status'];
    outcome.streams = ((result.streams as StreamOutcome[] | undefined) ?? []).map((stream) => ({
      name: stream.name,
      status: stream.status,
      records: stream.records,
      toolRows: stream.toolRows,
      domainRows: stream.domainRows,
      removed: stream.removed,
      elapsedMs: stream.elapsedMs,
      ...(stream.error ? { error: String(stream.error) } : {}),
    }));
    outcome.summary = Array.isArray(result.summary) ? (result.summary as SummaryFact[]) : [];
    const error = result.error as { message?: string } | undefined;
    if (error?.message) outcome.error = error.message;
    if (typeof result.skipReason === 'string') outcome.skipReason = result.skipReason;
  } else {
    outcome.status = options.signal?.aborted ? 'aborted' : 'failed';
    outcome.error =
      failure ??
      `the connector process exited with ${exitCode === null ? 'no code' : `code ${exitCode}`} before reporting a result${stderrTail.length > 0 ? `: ${stderrTail.at(-1)}` : ''}`;
    // It ended without a result (a crash, a kill, a bad context): record that it ran.
    await recordRunnerFailure(databaseUrl, paths.root, {
      status: outcome.status,
      connector: job.connector,
      version: job.installed.version,
      connectionId: job.connectionId,
      scopeId: job.scopeId,
      full,
      startedAt: new Date(started),
      error: outcome.error,
    }).catch((error: unknown) => {
      writeLog(log, job.scrubber, `# could not record the failure in _lake_runs: ${(error as Error).message}`);
    });
  }
  writeLog(log, job.scrubber, `# ${outcome.status} in ${outcome.elapsedMs} ms (exit ${exitCode})`);
  await new Promise<void>((resolve) => log.end(resolve));
  emit({ type: 'scope-end', status: outcome.status });
  return outcome;
}

function writeLog(log: WriteStream, scrubber: Redactor | undefined, line: string) {
  log.write(`${scrubber ? scrubber.redact(line) : line}\n`);
}

/** A redactor for the values substituted into a context: as they are, and as JSON writes them. */
function redactorFor(values: readonly string[]): Redactor {
  const redactor = new Redactor();
  for (const value of values) addSecret(redactor, value);
  return redactor;
}

function addSecret(redactor: Redactor, value: string) {
  redactor.add(value);
  redactor.add(JSON.stringify(value).slice(1, -1));
}

function once(lines: ReturnType<typeof createInterface>): Promise<void> {
  return new Promise((resolve) => {
    lines.once('close', () => resolve());
    // Already closed: 'close' will not fire again.
    if ((lines as unknown as { closed?: boolean }).closed) resolve();
  });
}

/** The child gets the runtime's environment minus what could redirect it (npm config, Node options). */
function childEnvironment(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(environment)) {
    if (key === 'NODE_OPTIONS' || key.startsWith('npm_') || key === 'LAKE_DATABASE_URL') continue;
    result[key] = value;
  }
  return result;
}

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
}
