import { rawTableName } from '../contract/connector-info.js';
import type { ScopeContext } from '../contract/context.js';
import type { Connector, SummaryFact } from '../contract/define-connector.js';
import type { AnyStream } from '../contract/stream.js';
import { createDomainIds } from '../domain/domain-ids.js';
import { LakeError } from '../errors/lake-error.js';
import { createLogger, type Logger, type LogLevel, type LogSink } from '../logging/logger.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { SDK_MIGRATIONS } from '../migrations/sdk-migrations.js';
import { createRawTable } from '../migrations/table-ddl.js';
import { Redactor } from '../secrets/redactor.js';
import { collectSecrets } from '../secrets/secret.js';
import type { Store } from '../store/store.js';
import { runConvertPhase, runExtractPhase } from './phase-runner.js';
import { RecordPipeline } from './record-pipeline.js';
import { newSyncId, RunRecorder, type RunStatus } from './run-recorder.js';
import { acquireScopeLock } from './scope-lock.js';
import { loadState, SCOPE_STATE_STREAM, saveState } from './state-store.js';
import type { StreamOutcome, StreamRun, StreamRunOptions } from './stream-run.js';
import { runSubstream } from './substream-runner.js';
import { type ValidatedContext, validateContext } from './sync-context.js';
import type { SyncEvent } from './sync-events.js';
import { runTopLevelStream } from './top-level-stream-runner.js';

/** Which phases run: a whole sync, or one of DevLake's phases on its own. */
export type SyncMode = 'sync' | 'collect' | 'extract' | 'convert';

export interface SyncRequest {
  connector: Connector;
  /** The connector package's version, recorded in `_lake_runs`. */
  connectorVersion?: string;
  store: Store;
  /** `{ connection, scope, scopeConfig, options }`, as JSON; validated here. */
  context: unknown;
  mode?: SyncMode;
  /** Only these streams (in dependency order); default all. */
  streams?: readonly string[];
  /** Re-collect everything and remove rows the source no longer returns. */
  full?: boolean;
  signal?: AbortSignal;
  logSink?: LogSink;
  logLevel?: LogLevel;
  onEvent?: (event: SyncEvent) => void;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
}

export type StreamStatus = 'succeeded' | 'failed' | 'aborted' | 'not-run';

export interface StreamResult extends StreamOutcome {
  name: string;
  status: StreamStatus;
  elapsedMs: number;
  error?: string;
}

export interface SyncResult {
  syncId: string;
  connector: string;
  scopeId: string;
  scopeName: string;
  status: 'succeeded' | 'failed' | 'aborted' | 'skipped';
  /** Why nothing ran, when `changed()` said the source is unchanged. */
  skipReason?: string;
  streams: StreamResult[];
  summary: SummaryFact[];
  /** The first failure, redacted. */
  error?: LakeError;
}

interface ScopeMarker {
  marker: string;
  syncedAt: string;
}

/**
 * Runs a connector's streams for one scope: validates the context, applies migrations,
 * takes the scope lock, then collect → extract → convert stream by stream in dependency
 * order, each batch committed with its state. Never throws for a failing stream: the
 * result says what failed (configuration and lock errors do throw).
 *
 *   const result = await runSync({ connector: git, store, context: { connection: { id: 1 }, scope: { path: '.' } } });
 */
export async function runSync(request: SyncRequest): Promise<SyncResult> {
  const { connector, store } = request;
  const mode = request.mode ?? 'sync';
  const validated: ValidatedContext = validateContext(connector, request.context);
  const redactor = new Redactor(collectSecrets(validated.connection));
  const logger: Logger = createLogger({
    level: request.logLevel ?? 'info',
    sink: request.logSink ?? (() => {}),
    redactor,
    fields: { connector: connector.name },
  });
  const emit = request.onEvent ?? (() => {});
  const signal = request.signal ?? new AbortController().signal;
  const scopeId = connector.scope.id(validated.scope as never);
  const connectionId = validated.connection.id;
  const syncId = newSyncId();

  if (request.migrate !== false) {
    for (const [owner, migrations] of [
      ['sdk', SDK_MIGRATIONS],
      [connector.name, connector.migrations],
    ] as const) {
      const outcome = await runMigrations(store, owner, migrations);
      if (outcome.applied.length > 0) emit({ type: 'migrations', owner, applied: outcome.applied });
    }
  }

  const streams = selectStreams(connector, request.streams);
  const lock = await acquireScopeLock(store, { connector: connector.name, connectionId, scopeId });
  const recorder = new RunRecorder(
    store,
    { syncId, connector: connector.name, connectorVersion: request.connectorVersion ?? '0.0.0', connectionId, scopeId },
    redactor,
  );
  const result: SyncResult = {
    syncId,
    connector: connector.name,
    scopeId,
    scopeName: connector.scope.name(validated.scope as never),
    status: 'succeeded',
    streams: [],
    summary: [],
  };
  let client: unknown;
  try {
    if (lock.tookOverFromDeadHolder) {
      logger.warn('the previous sync of this scope died; resuming where it committed last');
      await recorder.markInterrupted();
    }
    client = await connector.client?.({ connection: validated.connection as never, logger, signal, redactor });
    const context: ScopeContext<never> = {
      connector: connector.name,
      connection: validated.connection as never,
      client: client as never,
      ids: createDomainIds(connector.name, connectionId),
      logger,
      signal,
      scope: validated.scope as never,
      scopeId,
      scopeConfig: validated.scopeConfig as never,
      rawParams: rawParamsOf(connector, connectionId, validated.scope),
      db: store.db,
    };
    emit({
      type: 'sync-start',
      syncId,
      connector: connector.name,
      scopeId,
      streams: streams.map((stream) => stream.name),
    });

    const stateScope = { connector: connector.name, connectionId, scopeId };
    let marker: string | undefined;
    if (connector.changed && mode === 'sync' && !request.full && request.streams === undefined) {
      const last = await loadState<ScopeMarker>(store, { ...stateScope, stream: SCOPE_STATE_STREAM });
      const check = await connector
        .changed({ ...context, lastMarker: last?.marker, lastSyncedAt: last ? new Date(last.syncedAt) : undefined })
        .catch((error: unknown) => {
          // Not knowing is not a reason to skip: sync, and let the streams report the real problem.
          logger.warn(
            `could not tell whether the source changed: ${error instanceof Error ? error.message : String(error)}`,
          );
          return { changed: true, marker: undefined };
        });
      marker = check.marker;
      if (!check.changed) {
        result.status = 'skipped';
        result.skipReason = 'the source has not changed since the last sync';
        emit({ type: 'sync-skip', syncId, reason: result.skipReason });
        for (const stream of streams) {
          await recorder.start(stream.name, false, 'skipped');
          result.streams.push({ ...emptyOutcome(), name: stream.name, status: 'not-run', elapsedMs: 0 });
        }
        result.summary = await summarize(connector, context, logger);
        return result;
      }
    }

    const options: StreamRunOptions = {
      full: request.full ?? false,
      batchSize: validated.options.batchSize,
      concurrency: validated.options.concurrency,
      phases: {
        collect: true,
        extract: mode === 'sync' || mode === 'extract',
        convert: mode === 'sync' || mode === 'convert',
      },
    };
    for (const stream of streams) {
      if (result.status !== 'succeeded') {
        result.streams.push({ ...emptyOutcome(), name: stream.name, status: 'not-run', elapsedMs: 0 });
        continue;
      }
      const streamResult = await runOneStream({
        store,
        connector: connector.name,
        stream,
        context: { ...context, logger: logger.child({ stream: stream.name }) },
        pipeline: new RecordPipeline(connector.name, stream, context, redactor, store.dialect),
        stateKey: { ...stateScope, stream: stream.name },
        redactor,
        logger: logger.child({ stream: stream.name }),
        signal,
        options,
        emit,
        mode,
        recorder,
      });
      result.streams.push(streamResult);
      if (streamResult.status !== 'succeeded') {
        result.status = streamResult.status === 'aborted' ? 'aborted' : 'failed';
        result.error = streamResult.failure;
      }
    }
    if (result.status === 'succeeded') {
      if (marker !== undefined) {
        await saveState(store.writer(), { ...stateScope, stream: SCOPE_STATE_STREAM }, {
          marker,
          syncedAt: new Date().toISOString(),
        } satisfies ScopeMarker);
      }
      result.summary = await summarize(connector, context, logger);
    }
    return result;
  } finally {
    try {
      if (client !== undefined) await connector.closeClient?.(client as never);
    } finally {
      await lock.release();
    }
  }
}

/** The connector's summary facts; a failing summary is logged, never a failed sync. */
async function summarize(connector: Connector, context: ScopeContext<never>, logger: Logger): Promise<SummaryFact[]> {
  try {
    return (await connector.summarize?.(context)) ?? [];
  } catch (error) {
    logger.warn(`could not summarize the scope: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

interface OneStream extends StreamRun {
  mode: SyncMode;
  recorder: RunRecorder;
}

async function runOneStream(run: OneStream): Promise<StreamResult & { failure?: LakeError }> {
  const started = Date.now();
  await createRawTable(run.store.db, run.store.dialect, rawTableName(run.connector, run.stream.name));
  const runId = await run.recorder.start(run.stream.name, run.options.full);
  try {
    const outcome =
      run.mode === 'extract'
        ? await runExtractPhase(run)
        : run.mode === 'convert'
          ? await runConvertPhase(run)
          : run.stream.kind === 'substream'
            ? await runSubstream(run)
            : await runTopLevelStream(run);
    const elapsedMs = Date.now() - started;
    await run.recorder.finish(runId, 'succeeded', outcome.records);
    run.emit({ type: 'stream-end', stream: run.stream.name, status: 'succeeded', ...outcome, elapsedMs });
    return { ...outcome, name: run.stream.name, status: 'succeeded', elapsedMs };
  } catch (error) {
    // Whatever fails once the signal fired (a killed child process, a cancelled request) is the abort itself.
    const aborted = run.signal.aborted || (error instanceof LakeError && error.code === 'SYNC_ABORTED');
    const status: RunStatus = aborted ? 'aborted' : 'failed';
    const failure =
      aborted && !(error instanceof LakeError && error.code === 'SYNC_ABORTED')
        ? new LakeError(
            'SYNC_ABORTED',
            `stream "${run.stream.name}" was interrupted; the next sync resumes from its last commit`,
            {
              source: run.connector,
            },
          )
        : asLakeError(error, run);
    await run.recorder.finish(runId, status, 0, failure).catch(() => {});
    const elapsedMs = Date.now() - started;
    run.logger.error(failure.message, { code: failure.code });
    run.emit({
      type: 'stream-end',
      stream: run.stream.name,
      status,
      ...emptyOutcome(),
      elapsedMs,
      error: failure.message,
    });
    return { ...emptyOutcome(), name: run.stream.name, status, elapsedMs, error: failure.message, failure };
  }
}

function asLakeError(error: unknown, run: OneStream): LakeError {
  if (error instanceof LakeError) {
    const redacted = run.redactor.redactError(error) as LakeError;
    return redacted;
  }
  const message = run.redactor.redact(error instanceof Error ? error.message : String(error));
  return new LakeError('STREAM_FAILED', `stream "${run.stream.name}" failed: ${message}`, {
    source: run.connector,
    cause: run.redactor.redactError(error),
  });
}

/** The streams to run, in dependency order; unknown names are a STREAM_UNKNOWN error. */
export function selectStreams(connector: Connector, names: readonly string[] | undefined): AnyStream[] {
  if (names === undefined || names.length === 0) return [...connector.orderedStreams];
  const known = new Set(connector.orderedStreams.map((stream) => stream.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new LakeError(
      'STREAM_UNKNOWN',
      `unknown stream${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...known].join(', ')})`,
      { source: connector.name },
    );
  }
  return connector.orderedStreams.filter((stream) => names.includes(stream.name));
}

/** `_raw_data_params` of a scope: the connector's DevLake-style params, as compact JSON. */
export function rawParamsOf(connector: Connector, connectionId: number, scope: unknown): string {
  const params = connector.scope.rawParams?.(connectionId, scope as never) ?? {
    ConnectionId: connectionId,
    ScopeId: connector.scope.id(scope as never),
  };
  return JSON.stringify(params);
}

function emptyOutcome(): StreamOutcome {
  return { records: 0, toolRows: 0, domainRows: 0, removed: 0, full: false, resumed: false };
}
