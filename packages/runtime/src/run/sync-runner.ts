import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SummaryFact } from '@lake/sdk';
import { parseDatabaseUrl, Redactor, SYNC_NODE_FLAGS } from '@lake/sdk/host';
import { isRuntimeError, RuntimeError } from '../errors.js';
import { loadManifest } from '../manifest/load-manifest.js';
import { type Manifest, scopeIdOf } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { checkInstalledFiles, type FilesCheck } from '../trust/files-check.js';
import { resolveConnectorContext } from './connection-context.js';
import { markInterruptedRuns } from './interrupted-runs.js';
import { recordRunnerFailure } from './run-records.js';
import { rememberScopeName } from './scope-names.js';
import { spawnConnector } from './spawn-connector.js';
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
  /** The connector's exit code; 2 also for a configuration error found before it started. */
  exitCode: number | null;
}

interface PreparedJob extends ScopeJob {
  installed: WorkingConnector;
  context: unknown;
  scrubber: Redactor;
  /** Why the scope is not run at all: its references do not resolve, or its connector's files changed. */
  refusal?: { message: string; exitCode: number | null };
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
  checkDatabaseUrl(database.value, paths.root);
  // Runs left `running` by a connector that is gone (killed with the lake that ran it).
  await markInterruptedRuns(database.value, paths.root).catch(() => 0);
  const jobs = await prepareJobs(paths, manifest, selection, working, environment);
  await refuseChangedConnectors(jobs);
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

/** The URL a reference resolved to is checked like one written out: `oracle://…` stops here. */
function checkDatabaseUrl(url: string, cwd: string): void {
  try {
    parseDatabaseUrl(url, cwd);
  } catch (error) {
    throw new RuntimeError('MANIFEST_INVALID', `database: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Before any connector starts: each connector's installed files against the digest lake.lock
 * records, once per sync. A connector whose files changed does not run; its scopes fail,
 * naming the file, and the others go on.
 */
async function refuseChangedConnectors(jobs: PreparedJob[]): Promise<void> {
  const checks = new Map<string, Promise<FilesCheck>>();
  for (const job of jobs) {
    if (job.refusal) continue;
    const { directory, filesDigest } = job.installed;
    if (!checks.has(directory)) checks.set(directory, checkInstalledFiles(directory, filesDigest));
    const check = await checks.get(directory)!;
    if (!check.ok) {
      job.refusal = {
        message: `refusing to run ${job.connector} ${job.installed.version}: ${check.problem} (\`lake install\` reinstalls it from lake.lock)`,
        exitCode: null,
      };
    }
  }
}

async function prepareJobs(
  paths: ProjectPaths,
  manifest: Manifest,
  selection: SyncSelection,
  working: Map<string, WorkingConnector>,
  environment: NodeJS.ProcessEnv,
): Promise<PreparedJob[]> {
  let connections = manifest.connections.map((connection, index) => ({ connection, index }));
  if (selection.connection !== undefined) {
    connections = connections.filter(({ connection }) => connection.name === selection.connection);
    if (connections.length === 0) {
      throw new RuntimeError(
        'CONNECTION_UNKNOWN',
        `no connection named "${selection.connection}" in lake.yaml (connections: ${manifest.connections.map((c) => c.name).join(', ') || 'none'})`,
      );
    }
  }
  if (selection.connections) {
    const wanted = new Set(selection.connections);
    connections = connections.filter(({ connection }) => wanted.has(connection.name));
  }
  if (connections.length === 0) {
    throw new RuntimeError('CONNECTION_UNKNOWN', 'lake.yaml has no connections to sync (add one under connections:)');
  }
  const jobs: PreparedJob[] = [];
  const unmatchedScopes = new Set(selection.scopes ?? []);
  for (const { connection, index } of connections) {
    const installed = working.get(connection.connector);
    if (!installed) {
      throw new RuntimeError(
        'NOT_INSTALLED',
        `connector ${connection.connector} (connection "${connection.name}") is not installed; run \`lake install\``,
      );
    }
    for (const [scopeIndex, scope] of connection.scopes.entries()) {
      const scopeId = scopeIdOf(scope);
      if (selection.scopes && !selection.scopes.includes(scopeId)) continue;
      unmatchedScopes.delete(scopeId);
      const job: PreparedJob = {
        connection: connection.name,
        connector: connection.connector,
        connectionId: connection.id,
        scopeId,
        installed,
        context: undefined,
        scrubber: new Redactor(),
      };
      try {
        const resolved = await resolveConnectorContext(paths, environment, manifest, index, scopeIndex);
        job.context = resolved.context;
        job.scrubber = redactorFor(resolved.substituted);
      } catch (error) {
        // A reference of this connection that does not resolve fails this connection's
        // scopes alone, as the configuration error it is.
        if (!isRuntimeError(error, 'SECRET_MISSING') && !isRuntimeError(error, 'MANIFEST_INVALID')) throw error;
        job.refusal = { message: error.message, exitCode: 2 };
      }
      jobs.push(job);
    }
  }
  if (unmatchedScopes.size > 0) {
    const known = connections.flatMap(({ connection }) =>
      connection.scopes.map((scope) => `${connection.name}: ${scopeIdOf(scope)}`),
    );
    throw new RuntimeError(
      'SCOPE_UNKNOWN',
      `no scope ${[...unmatchedScopes].map((id) => `"${id}"`).join(', ')} in the selected connections (scopes: ${known.join('; ')})`,
    );
  }
  return jobs;
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

  if (job.refusal) {
    // Not started: its configuration or its files are wrong. Recorded like a run that failed
    // at once, so `lake status` says why a scheduled sync did nothing.
    outcome.error = job.refusal.message;
    outcome.exitCode = job.refusal.exitCode;
    outcome.elapsedMs = Date.now() - started;
    writeLog(log, job.scrubber, `# not started: ${outcome.error}`);
    await recordRunnerFailure(databaseUrl, paths.root, {
      status: 'failed',
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
    await new Promise<void>((resolve) => log.end(resolve));
    emit({ type: 'scope-end', status: outcome.status, error: outcome.error });
    return outcome;
  }

  const args = [
    'sync',
    '--context',
    '-',
    '--json',
    ...(full ? ['--full'] : []),
    // LAKE_DEBUG: the connector logs every request (URLs redacted) into the scope's log file.
    ...(environment.LAKE_DEBUG ? ['--log-level', 'debug'] : []),
  ];
  const child = spawnConnector(job.installed.cli, args, {
    cwd: paths.root,
    environment,
    context: { LAKE_DATABASE_URL: databaseUrl },
    nodeFlags: SYNC_NODE_FLAGS,
  });
  const onAbort = () => {
    child.kill('SIGINT');
    // A connector stops after its current batch; one that does not is stopped hard.
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  child.stdin.end(JSON.stringify(job.context));

  /** The connector's own id of the scope (its first event says it), as `_lake_runs` holds it. */
  let connectorScopeId: string | undefined;
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
    else if (event.type === 'sync-start' && typeof event.scopeId === 'string') {
      connectorScopeId = event.scopeId;
      void rememberScopeName(paths, job.connector, job.connectionId, connectorScopeId, job.scopeId);
    }
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
    const scopeId = connectorScopeId ?? job.scopeId;
    // It ended without a result (a crash, a kill, a bad context): the stream runs it left
    // `running` are over, and the scope's run is recorded as what it was.
    await markInterruptedRuns(databaseUrl, paths.root, {
      connector: job.connector,
      connectionId: job.connectionId,
      scopeId,
    }).catch(() => 0);
    await recordRunnerFailure(databaseUrl, paths.root, {
      status: outcome.status,
      connector: job.connector,
      version: job.installed.version,
      connectionId: job.connectionId,
      scopeId,
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

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
}
