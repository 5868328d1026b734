import type { ScopeContext } from '../contract/context.js';
import type { Connector, DomainScopeRef, SummaryFact } from '../contract/define-connector.js';
import type { AnyStream } from '../contract/stream.js';
import { createDomainIds } from '../domain/domain-ids.js';
import { LakeError, messageOf } from '../errors/lake-error.js';
import { createLogger, type Logger, type LogLevel, type LogSink } from '../logging/logger.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { SDK_MIGRATIONS } from '../migrations/sdk-migrations.js';
import { Redactor } from '../secrets/redactor.js';
import { collectSecrets } from '../secrets/secret.js';
import type { Store } from '../store/store.js';
import { runOneStream } from './one-stream-runner.js';
import { RecordPipeline } from './record-pipeline.js';
import { newSyncId, RunRecorder } from './run-recorder.js';
import { acquireScopeLock } from './scope-lock.js';
import { checkSourceChanged, saveSourceMarker } from './source-change.js';
import { emptyOutcome, type StreamOutcome, type StreamRunOptions } from './stream-run.js';
import { type ValidatedContext, validateContext } from './sync-context.js';
import type { SyncEvent } from './sync-events.js';

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
  /** The domain rows that stand for the scope in DevLake's project mapping (the connector's `domainScopes`). */
  domainScopes: DomainScopeRef[];
  /** The first failure, redacted. */
  error?: LakeError;
}

/** What the sync has settled before its streams run, shared by its units. */
interface SyncSetup {
  request: SyncRequest;
  validated: ValidatedContext;
  logger: Logger;
  redactor: Redactor;
  emit: (event: SyncEvent) => void;
  signal: AbortSignal;
  streams: AnyStream[];
  recorder: RunRecorder;
  result: SyncResult;
  stateScope: { connector: string; connectionId: number; scopeId: string };
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
  const validated: ValidatedContext = validateContext(connector, request.context);
  const redactor = new Redactor(collectSecrets(validated.connection));
  const logger: Logger = createLogger({
    level: request.logLevel ?? 'info',
    sink: request.logSink ?? (() => {}),
    redactor,
    fields: { connector: connector.name },
  });
  const emit = request.onEvent ?? (() => {});
  const scopeId = connector.scope.id(validated.scope as never);
  const connectionId = validated.connection.id;
  const syncId = newSyncId();

  if (request.migrate !== false) await applyMigrations(store, connector, emit);

  const streams = selectStreams(connector, request.streams);
  const lock = await acquireScopeLock(store, { connector: connector.name, connectionId, scopeId });
  const recorder = new RunRecorder(
    store,
    { syncId, connector: connector.name, connectorVersion: request.connectorVersion ?? '0.0.0', connectionId, scopeId },
    redactor,
  );
  const setup: SyncSetup = {
    request,
    validated,
    logger,
    redactor,
    emit,
    signal: request.signal ?? new AbortController().signal,
    streams,
    recorder,
    result: {
      syncId,
      connector: connector.name,
      scopeId,
      scopeName: connector.scope.name(validated.scope as never),
      status: 'succeeded',
      streams: [],
      summary: [],
      domainScopes: [],
    },
    stateScope: { connector: connector.name, connectionId, scopeId },
  };
  let client: unknown;
  try {
    if (lock.tookOverFromDeadHolder) {
      logger.warn('the previous sync of this scope died; resuming where it committed last');
      await recorder.markInterrupted();
    }
    client = await connector.client?.({
      connection: validated.connection as never,
      logger,
      signal: setup.signal,
      redactor,
    });
    return await runScopeStreams(setup, scopeContextOf(setup, client));
  } finally {
    try {
      if (client !== undefined) await connector.closeClient?.(client as never);
    } finally {
      await lock.release();
    }
  }
}

/** The SDK's pending migrations, then the connector's. */
async function applyMigrations(store: Store, connector: Connector, emit: (event: SyncEvent) => void): Promise<void> {
  for (const [owner, migrations] of [
    ['sdk', SDK_MIGRATIONS],
    [connector.name, connector.migrations],
  ] as const) {
    const outcome = await runMigrations(store, owner, migrations);
    if (outcome.applied.length > 0) emit({ type: 'migrations', owner, applied: outcome.applied });
  }
}

function scopeContextOf(setup: SyncSetup, client: unknown): ScopeContext<never> {
  const { request, validated, stateScope } = setup;
  return {
    connector: request.connector.name,
    connection: validated.connection as never,
    client: client as never,
    ids: createDomainIds(request.connector.name, stateScope.connectionId),
    logger: setup.logger,
    signal: setup.signal,
    scope: validated.scope as never,
    scopeId: stateScope.scopeId,
    scopeConfig: validated.scopeConfig as never,
    rawParams: rawParamsOf(request.connector, stateScope.connectionId, validated.scope),
    db: request.store.db,
  };
}

/** Skips the sync when the source is unchanged; otherwise runs the streams and saves the source's marker. */
async function runScopeStreams(setup: SyncSetup, context: ScopeContext<never>): Promise<SyncResult> {
  const { request, streams, result, emit } = setup;
  const { connector, store } = request;
  emit({
    type: 'sync-start',
    syncId: result.syncId,
    connector: connector.name,
    scopeId: result.scopeId,
    streams: streams.map((stream) => stream.name),
  });
  let marker: string | undefined;
  if (connector.changed && (request.mode ?? 'sync') === 'sync' && !request.full && request.streams === undefined) {
    const check = await checkSourceChanged(connector, store, setup.stateScope, context);
    marker = check.marker;
    if (!check.changed) {
      result.status = 'skipped';
      result.skipReason = 'the source has not changed since the last sync';
      emit({ type: 'sync-skip', syncId: result.syncId, reason: result.skipReason });
      for (const stream of streams) {
        await setup.recorder.start(stream.name, false, 'skipped');
        result.streams.push({ ...emptyOutcome(), name: stream.name, status: 'not-run', elapsedMs: 0 });
      }
      result.summary = await summarize(connector, context, setup.logger);
      result.domainScopes = await domainScopesOf(connector, context, setup.logger);
      return result;
    }
  }
  await runStreams(setup, context);
  if (result.status === 'succeeded') {
    if (marker !== undefined) await saveSourceMarker(store, setup.stateScope, marker);
    result.summary = await summarize(connector, context, setup.logger);
  }
  result.domainScopes = await domainScopesOf(connector, context, setup.logger);
  return result;
}

/** The connector's `domainScopes`, after the streams; one that throws is logged and reports none. */
async function domainScopesOf(connector: Connector, context: ScopeContext<never>, logger: Logger) {
  try {
    return await connector.domainScopes(context);
  } catch (error) {
    logger.warn(`could not tell the scope's domain rows: ${messageOf(error)}`);
    return [];
  }
}

/** Each stream in order; once one fails, the rest are reported as not run. */
async function runStreams(setup: SyncSetup, context: ScopeContext<never>): Promise<void> {
  const { request, validated, result, logger, redactor } = setup;
  const { connector, store } = request;
  const mode = request.mode ?? 'sync';
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
  for (const stream of setup.streams) {
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
      stateKey: { ...setup.stateScope, stream: stream.name },
      redactor,
      logger: logger.child({ stream: stream.name }),
      signal: setup.signal,
      options,
      emit: setup.emit,
      mode,
      recorder: setup.recorder,
    });
    result.streams.push(streamResult);
    if (streamResult.status !== 'succeeded') {
      result.status = streamResult.status === 'aborted' ? 'aborted' : 'failed';
      result.error = streamResult.failure;
    }
  }
}

/** The connector's summary facts; a failing summary is logged, never a failed sync. */
async function summarize(connector: Connector, context: ScopeContext<never>, logger: Logger): Promise<SummaryFact[]> {
  try {
    return (await connector.summarize?.(context)) ?? [];
  } catch (error) {
    logger.warn(`could not summarize the scope: ${messageOf(error)}`);
    return [];
  }
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
