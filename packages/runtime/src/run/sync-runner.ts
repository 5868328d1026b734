import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { parseDatabaseUrl, Redactor, SYNC_NODE_FLAGS } from '@lake/sdk/host';
import type { ProtocolMessage, ProtocolStreamResult, ProtocolSyncResult } from '@lake/sdk/protocol';
import { isRuntimeError, RuntimeError } from '../errors.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { recordProjects } from '../projects/project-rows.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { addSecret, redactorFor, urlSecrets } from '../secrets/secret-redactor.js';
import { checkInstalledFiles, type FilesCheck } from '../trust/files-check.js';
import { createLiveProgressWriter } from '../ui/live-progress.js';
import { resolveConnectorContext } from './connection-context.js';
import { type ConnectorOutputOptions, type ConnectorReport, readConnectorOutput } from './connector-output.js';
import type { ConnectorProcessPool } from './connector-process-pool.js';
import { markInterruptedRuns } from './interrupted-runs.js';
import { recordRunnerFailure } from './run-records.js';
import { ScopeLog } from './scope-log.js';
import { rememberScopeName } from './scope-names.js';
import { selectScopes } from './select-scopes.js';
import { interruptConnector, spawnConnector } from './spawn-connector.js';
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
  /** A worker's: the PostgreSQL whose credential budgets every worker's API clients share. */
  rateLimitUrl?: string;
  /**
   * A worker's: install directories whose files it already checked against lake.lock (once,
   * when it started), so each job does not digest them again; checks it makes are added.
   */
  checkedDirectories?: Set<string>;
  /**
   * A worker's: long-lived `serve` processes of its connectors, each running job after job.
   * Without it (`lake sync`), or for a connector that cannot serve, each scope gets its own process.
   */
  pool?: ConnectorProcessPool;
}

export interface ScopeJob {
  connection: string;
  connector: string;
  connectionId: number;
  scopeId: string;
}

/** What the runtime adds to a connector's messages: the end of a scope, however it ended. */
export interface ScopeEndMessage {
  type: 'scope-end';
  status: ScopeOutcome['status'];
  /** Why a scope that never started failed. */
  error?: string;
}

export type ScopeEventMessage = ProtocolMessage | ScopeEndMessage;

/** A connector's message (a protocol line, secrets scrubbed) or the runtime's `scope-end`, tagged with the scope it is about. */
export type ScopeEvent = ScopeJob & { event: ScopeEventMessage };

export interface ScopeOutcome extends ScopeJob {
  version: string;
  status: 'succeeded' | 'failed' | 'aborted' | 'skipped';
  /** Each stream as the connector's result reports it. */
  streams: ProtocolStreamResult[];
  /** The connector's facts about the scope (commits, authors…), for the summary. */
  summary: ProtocolSyncResult['summary'];
  /** The domain rows that stand for the scope (`repos`, `boards`, `cicd_scopes`); empty when the connector reported none. */
  domainScopes: NonNullable<ProtocolSyncResult['domainScopes']>;
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
  // Runs left `running` by a connector that is gone (killed with the lake that ran it); a
  // worker's job marks its own scope's, after its connector ends.
  if (!options.checkedDirectories) await markInterruptedRuns(database.value, paths.root).catch(() => 0);
  const jobs = await prepareJobs(paths, manifest, selection, working, environment);
  await refuseChangedConnectors(jobs, options.checkedDirectories);
  const limit = options.concurrency ?? manifest.sync.concurrency;
  // What `lake ui` shows as it happens: each event also updates the sync's live progress file.
  const live = await createLiveProgressWriter(paths);
  const runOptions: SyncRunOptions = {
    ...options,
    onEvent: (event) => {
      live.onEvent(event);
      options.onEvent?.(event);
    },
  };
  // The lake's and the shared rate-limit database's credentials, as the connector's own output is scrubbed of them.
  const hostSecrets = [
    ...urlSecrets(database),
    ...(options.rateLimitUrl ? urlSecrets({ value: options.rateLimitUrl, substituted: [] }) : []),
  ];
  const outcomes: ScopeOutcome[] = new Array(jobs.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, jobs.length) }, async () => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      for (const value of hostSecrets) addSecret(job.scrubber, value);
      outcomes[index] = await runScope(paths, job, database.value, selection.full ?? false, environment, runOptions);
    }
  });
  try {
    await Promise.all(workers);
  } finally {
    await live.finish();
  }
  // Then the projects: their rows from the scopes just synced, then (next) their metrics.
  await recordProjects(database.value, paths.root, manifest.projects, outcomes);
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
async function refuseChangedConnectors(jobs: PreparedJob[], checked?: Set<string>): Promise<void> {
  const checks = new Map<string, Promise<FilesCheck>>();
  for (const job of jobs) {
    if (job.refusal) continue;
    const { directory, filesDigest } = job.installed;
    if (checked?.has(directory)) continue;
    if (!checks.has(directory)) checks.set(directory, checkInstalledFiles(directory, filesDigest));
    const check = await checks.get(directory)!;
    if (check.ok) checked?.add(directory);
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
  const jobs: PreparedJob[] = [];
  for (const { connection, connectionIndex, scopeIndex, scopeId } of selectScopes(manifest, selection)) {
    const installed = working.get(connection.connector);
    if (!installed) {
      throw new RuntimeError(
        'NOT_INSTALLED',
        `connector ${connection.connector} (connection "${connection.name}") is not installed; run \`lake install\``,
      );
    }
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
      const resolved = await resolveConnectorContext(paths, environment, manifest, connectionIndex, scopeIndex);
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
  return jobs;
}

/** One scope's run as its units share it: where it logs, and the outcome they fill in. */
interface ScopeRun {
  paths: ProjectPaths;
  job: PreparedJob;
  databaseUrl: string;
  full: boolean;
  started: Date;
  log: ScopeLog;
  outcome: ScopeOutcome;
  rateLimitUrl: string | undefined;
}

/** One scope: refused at once, or run in its connector's process; logged, recorded, and reported by `scope-end`. */
async function runScope(
  paths: ProjectPaths,
  job: PreparedJob,
  databaseUrl: string,
  full: boolean,
  environment: NodeJS.ProcessEnv,
  options: SyncRunOptions,
): Promise<ScopeOutcome> {
  const started = new Date();
  const log = await ScopeLog.open(paths.logs, job, started, job.scrubber);
  const identity: ScopeJob = {
    connection: job.connection,
    connector: job.connector,
    connectionId: job.connectionId,
    scopeId: job.scopeId,
  };
  const emit = (event: ScopeEventMessage) => options.onEvent?.({ ...identity, event });
  const outcome: ScopeOutcome = {
    ...identity,
    version: job.installed.version,
    status: 'failed',
    streams: [],
    summary: [],
    domainScopes: [],
    elapsedMs: 0,
    logFile: log.file,
    exitCode: null,
  };
  log.write(
    `# ${job.connector} ${job.installed.version} · ${job.connection} · ${job.scopeId} · ${full ? 'full' : 'incremental'} sync`,
  );
  const run: ScopeRun = { paths, job, databaseUrl, full, started, log, outcome, rateLimitUrl: options.rateLimitUrl };
  if (job.refusal) {
    await refuseScope(run, job.refusal);
    await log.close();
    emit({
      type: 'scope-end',
      status: outcome.status,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    });
    return outcome;
  }
  await runConnectorSync(run, environment, options, emit);
  log.write(`# ${outcome.status} in ${outcome.elapsedMs} ms (exit ${outcome.exitCode})`);
  await log.close();
  emit({ type: 'scope-end', status: outcome.status });
  return outcome;
}

/**
 * A scope that does not start: its configuration or its files are wrong. Recorded like a run
 * that failed at once, so `lake status` says why a scheduled sync did nothing.
 */
async function refuseScope(run: ScopeRun, refusal: NonNullable<PreparedJob['refusal']>): Promise<void> {
  const { outcome, log } = run;
  outcome.error = refusal.message;
  outcome.exitCode = refusal.exitCode;
  outcome.elapsedMs = Date.now() - run.started.getTime();
  log.write(`# not started: ${outcome.error}`);
  await recordFailure(run, run.job.scopeId, outcome.error);
}

/** Runs the scope's sync in its connector's process and fills the outcome from what it reports. */
async function runConnectorSync(
  run: ScopeRun,
  environment: NodeJS.ProcessEnv,
  options: SyncRunOptions,
  emit: (event: ScopeEventMessage) => void,
): Promise<void> {
  const { job, outcome } = run;
  /** The connector's own id of the scope (its first event says it), as `_lake_runs` holds it. */
  let connectorScopeId: string | undefined;
  const lines: ConnectorOutputOptions = {
    scrubber: job.scrubber,
    log: run.log,
    onMessage: (message) => {
      if (message.type === 'sync-start') {
        connectorScopeId = message.scopeId;
        void rememberScopeName(run.paths, job.connector, job.connectionId, message.scopeId, job.scopeId);
      }
      emit(message);
    },
  };
  const pool = options.pool;
  const report =
    pool && (await pool.canServe(run.paths, job.installed, environment))
      ? await pool.run(
          { cli: job.installed.cli, cwd: run.paths.root, environment, context: connectorVariables(run) },
          { context: job.context, full: run.full, logLevel: environment.LAKE_DEBUG ? 'debug' : 'info' },
          { ...lines, ...(options.signal ? { signal: options.signal } : {}) },
        )
      : await runOwnProcess(run, environment, options, lines);
  outcome.exitCode = report.exitCode;
  outcome.elapsedMs = Date.now() - run.started.getTime();
  if (report.result) {
    Object.assign(outcome, outcomeOfResult(report.result));
    return;
  }
  outcome.status = options.signal?.aborted ? 'aborted' : 'failed';
  const error = report.failure ?? diedWithoutResult(report);
  outcome.error = error;
  const scopeId = connectorScopeId ?? job.scopeId;
  // It ended without a result (a crash, a kill, a bad context): the stream runs it left
  // `running` are over, and the scope's run is recorded as what it was.
  await markInterruptedRuns(run.databaseUrl, run.paths.root, {
    connector: job.connector,
    connectionId: job.connectionId,
    scopeId,
  }).catch(() => 0);
  await recordFailure(run, scopeId, error);
}

/** The scope's sync in a process of its own, read to its exit; SIGINT when the run is aborted. */
async function runOwnProcess(
  run: ScopeRun,
  environment: NodeJS.ProcessEnv,
  options: SyncRunOptions,
  lines: ConnectorOutputOptions,
): Promise<ConnectorReport> {
  const child = startConnectorSync(run, environment);
  const onAbort = () => interruptConnector(child);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  child.stdin.end(JSON.stringify(run.job.context));
  try {
    return await readConnectorOutput(child, run.job.installed.cli, lines);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** What a connector process finds in its environment besides the allowlist: where to write, and the shared budgets. */
function connectorVariables(run: ScopeRun): Record<string, string> {
  return {
    LAKE_DATABASE_URL: run.databaseUrl,
    ...(run.rateLimitUrl ? { LAKE_RATE_LIMIT_URL: run.rateLimitUrl } : {}),
  };
}

/** `<cli> sync --context - --json`, the context on stdin and the database URL in the environment. */
function startConnectorSync(run: ScopeRun, environment: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const args = [
    'sync',
    '--context',
    '-',
    '--json',
    ...(run.full ? ['--full'] : []),
    // LAKE_DEBUG: the connector logs every request (URLs redacted) into the scope's log file.
    ...(environment.LAKE_DEBUG ? ['--log-level', 'debug'] : []),
  ];
  return spawnConnector(run.job.installed.cli, args, {
    cwd: run.paths.root,
    environment,
    context: connectorVariables(run),
    nodeFlags: SYNC_NODE_FLAGS,
  });
}

/** What a connector's `result` line says about its scope. */
function outcomeOfResult(
  result: ProtocolSyncResult,
): Pick<ScopeOutcome, 'status' | 'streams' | 'summary' | 'domainScopes' | 'error' | 'skipReason'> {
  return {
    status: result.status,
    streams: result.streams,
    summary: result.summary,
    domainScopes: result.domainScopes ?? [],
    ...(result.error?.message ? { error: result.error.message } : {}),
    ...(result.skipReason === undefined ? {} : { skipReason: result.skipReason }),
  };
}

function diedWithoutResult(report: ConnectorReport): string {
  const code = report.exitCode === null ? 'no code' : `code ${report.exitCode}`;
  const tail = report.lastStderrLine === undefined ? '' : `: ${report.lastStderrLine}`;
  return `the connector process exited with ${code} before reporting a result${tail}`;
}

/** One `_lake_runs` row for a scope whose connector could not record its own. */
async function recordFailure(run: ScopeRun, scopeId: string, error: string): Promise<void> {
  const { job, outcome } = run;
  await recordRunnerFailure(run.databaseUrl, run.paths.root, {
    status: outcome.status,
    connector: job.connector,
    version: job.installed.version,
    connectionId: job.connectionId,
    scopeId,
    full: run.full,
    startedAt: run.started,
    error,
  }).catch((failure: unknown) => {
    run.log.write(`# could not record the failure in _lake_runs: ${(failure as Error).message}`);
  });
}
