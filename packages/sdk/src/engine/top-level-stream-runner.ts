import type { CollectContext } from '../contract/context.js';
import type { RawRecord, Stream } from '../contract/stream.js';
import { LakeError } from '../errors/lake-error.js';
import { domainShape } from './table-shapes.js';
import { loadState, saveState } from './state-store.js';
import type { RunMarker, StreamOutcome, StreamRun } from './stream-run.js';
import { sweepStaleRows } from './sweep.js';

/**
 * What `_lake_state` holds for a top-level stream.
 * - `cursor`: the connector's state as of its last checkpoint;
 * - `skip`: records after that checkpoint already committed (a batch filled up before the
 *   next checkpoint); a resumed run drops that many before keeping records again;
 * - `run`: set while a run is unfinished, so a resumed run keeps its mode and start time.
 */
export interface TopLevelState {
  version: 1;
  cursor: unknown;
  skip: number;
  run: RunMarker | null;
}

export async function runTopLevelStream(run: StreamRun): Promise<StreamOutcome> {
  const { store, stream: anyStream, pipeline, stateKey, options, signal } = run;
  const stream = anyStream as Stream;
  const saved = await loadState<TopLevelState>(store, stateKey);
  const resumed = Boolean(saved?.run && (!options.full || saved.run.full));
  const marker: RunMarker = resumed
    ? saved!.run!
    : { startedAt: new Date().toISOString(), full: options.full || !stream.incremental };
  let cursor: unknown = resumed || !marker.full ? saved?.cursor : undefined;
  let skip = resumed ? (saved?.skip ?? 0) : 0;
  let sinceCheckpoint = 0;
  let buffer: RawRecord[] = [];
  let total: number | undefined;
  const outcome: StreamOutcome = { records: 0, toolRows: 0, domainRows: 0, removed: 0, full: marker.full, resumed };
  const started = Date.now();
  let chain: Promise<void> = Promise.resolve();

  run.emit({ type: 'stream-start', stream: stream.name, full: marker.full, resumed });
  if (resumed) run.logger.info(`resuming an interrupted ${marker.full ? 'full' : 'incremental'} run`, { skip });

  const commit = async (records: RawRecord[], checkpoint: { state: unknown } | undefined) => {
    const now = new Date();
    const batch = await pipeline.prepareCollected(records, options.phases, now);
    const state: TopLevelState = checkpoint
      ? { version: 1, cursor: checkpoint.state, skip: 0, run: marker }
      : { version: 1, cursor, skip: sinceCheckpoint, run: marker };
    const counts = await store.transaction(async (writer) => {
      const written = await pipeline.write(writer, batch);
      await saveState(writer, stateKey, state);
      return written;
    });
    if (checkpoint) {
      // Everything up to here is covered by the new checkpoint: nothing more to skip.
      cursor = checkpoint.state;
      sinceCheckpoint = 0;
      skip = 0;
    }
    outcome.records += counts.raw;
    outcome.toolRows += counts.tool;
    outcome.domainRows += counts.domain;
    run.emit({
      type: 'stream-progress',
      stream: stream.name,
      records: outcome.records,
      total,
      elapsedMs: Date.now() - started,
    });
  };

  /** Queues a commit of everything buffered so far; commits run one after another, in order. */
  const flush = (checkpoint?: { state: unknown }) => {
    const records = buffer;
    buffer = [];
    if (checkpoint && sinceCheckpoint < skip) {
      // The collector checkpointed before reaching what the interrupted run had committed:
      // it is not deterministic, so trust the checkpoint and stop skipping.
      run.logger.warn('collector checkpointed inside the already-committed range; resuming from its checkpoint', {
        skip,
        sinceCheckpoint,
      });
      skip = 0;
    }
    const next = chain.then(() => commit(records, checkpoint));
    chain = next.catch(() => {});
    return next;
  };

  const context: CollectContext<never, unknown> = {
    ...run.context,
    state: cursor as never,
    full: marker.full,
    checkpoint: (state) => {
      throwIfAborted(signal, stream.name);
      return flush({ state });
    },
    reportTotal: (value) => {
      total = value;
    },
  };

  for await (const record of stream.collect(context)) {
    throwIfAborted(signal, stream.name);
    await chain;
    sinceCheckpoint += 1;
    if (sinceCheckpoint <= skip) continue;
    buffer.push(record);
    if (buffer.length >= options.batchSize) await flush();
  }
  throwIfAborted(signal, stream.name);
  if (buffer.length > 0) await flush();
  await chain;

  // The run is complete: sweep what a full run did not see again, and clear the run marker.
  await store.transaction(async (writer) => {
    if (marker.full) {
      outcome.removed = await sweepStaleRows(writer, {
        rawTable: pipeline.rawTable,
        rawParams: run.context.rawParams,
        connectionId: run.context.ids.connectionId,
        toolShapes: pipeline.toolShapes.values(),
        domainShapes: [...new Set(stream.tables.flatMap((table) => table.produces))].map(domainShape),
        before: new Date(marker.startedAt),
        layers: { raw: true, tool: options.phases.extract, domain: options.phases.convert },
      });
    }
    await saveState(writer, stateKey, { version: 1, cursor, skip: 0, run: null } satisfies TopLevelState);
  });
  return outcome;
}

export function throwIfAborted(signal: AbortSignal, stream: string): void {
  if (signal.aborted) {
    throw new LakeError('SYNC_ABORTED', `stream "${stream}" was interrupted; the next sync resumes from its last commit`, {
      cause: signal.reason,
    });
  }
}
