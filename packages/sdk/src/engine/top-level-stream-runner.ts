import type { CollectContext } from '../contract/context.js';
import type { RawRecord, Stream } from '../contract/stream.js';
import { LakeError } from '../errors/lake-error.js';
import { loadState, saveState } from './state-store.js';
import type { RunMarker, StreamOutcome, StreamRun } from './stream-run.js';
import { sweepAfterFullRun } from './sweep.js';

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

/** A checkpoint commits what is buffered when this long has passed since the last commit. */
const CHECKPOINT_COMMIT_INTERVAL_MS = 1000;

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

  run.emit({ type: 'stream-start', stream: stream.name, full: marker.full, resumed });
  if (resumed) run.logger.info(`resuming an interrupted ${marker.full ? 'full' : 'incremental'} run`, { skip });

  /**
   * Commits run one after another, in order, while the collector goes on fetching: a batch is
   * cut (its records and its state fixed) at once, and written while the next page is on its
   * way. At most one commit waits behind the running one, so memory stays at a few batches.
   * A commit's failure is kept and thrown at the collector's next step.
   */
  let running: Promise<void> = Promise.resolve();
  let lastCut = Date.now();
  let failure: unknown;
  const throwIfFailed = () => {
    if (failure !== undefined) throw failure;
  };

  const commit = async (records: RawRecord[], state: TopLevelState) => {
    const batch = await pipeline.prepareCollected(records, options.phases, new Date());
    const counts = await store.transaction(async (writer) => {
      const written = await pipeline.write(writer, batch);
      await saveState(writer, stateKey, state);
      return written;
    });
    outcome.records += counts.raw;
    outcome.toolRows += counts.tool;
    outcome.domainRows += counts.domain;
    outcome.removed += counts.removed;
    run.emit({
      type: 'stream-progress',
      stream: stream.name,
      records: outcome.records,
      total,
      elapsedMs: Date.now() - started,
    });
  };

  /** Cuts a batch of everything buffered (with the checkpoint's state, if any) and queues its commit. */
  /** Cuts a batch of everything buffered, with the state that covers it, and queues its commit. */
  const flush = async () => {
    throwIfFailed();
    const records = buffer;
    buffer = [];
    lastCut = Date.now();
    const state: TopLevelState = { version: 1, cursor, skip: sinceCheckpoint, run: marker };
    const previous = running;
    running = previous
      .then(() => (failure === undefined ? commit(records, state) : undefined))
      .catch((error: unknown) => {
        failure ??= error;
      });
    // Back-pressure: wait for the commit before this one, not for this one.
    await previous;
    throwIfFailed();
  };

  /**
   * A checkpoint says what covers the records yielded so far; it does not force a commit.
   * Batches are cut when full, or at a checkpoint once a second has passed since the last
   * cut: APIs with small pages (GitHub's 100) would otherwise pay for a commit per page.
   * What a crash loses is re-collected from the last committed checkpoint.
   */
  const checkpoint = async (state: unknown) => {
    if (sinceCheckpoint < skip) {
      // The collector checkpointed before reaching what the interrupted run had committed:
      // it is not deterministic, so trust the checkpoint and stop skipping.
      run.logger.warn('collector checkpointed inside the already-committed range; resuming from its checkpoint', {
        skip,
        sinceCheckpoint,
      });
    }
    // Everything up to here is covered by the new checkpoint: nothing more to skip. The state is
    // copied now: collectors often keep moving the object they checkpointed, and the commit
    // that saves it runs later.
    cursor = snapshotState(state);
    sinceCheckpoint = 0;
    skip = 0;
    if (buffer.length >= options.batchSize || Date.now() - lastCut >= CHECKPOINT_COMMIT_INTERVAL_MS) await flush();
  };

  const context: CollectContext<never, unknown> = {
    ...run.context,
    state: cursor as never,
    full: marker.full,
    checkpoint: (state) => {
      throwIfAborted(signal, stream.name);
      return checkpoint(state);
    },
    reportTotal: (value) => {
      total = value;
    },
  };

  try {
    for await (const record of stream.collect(context)) {
      throwIfAborted(signal, stream.name);
      throwIfFailed();
      if (sinceCheckpoint < skip) {
        sinceCheckpoint += 1;
        continue;
      }
      // A full batch is cut only when more arrives: a checkpoint right at the batch's end then
      // rides along in the same commit instead of costing one of its own.
      if (buffer.length >= options.batchSize) await flush();
      sinceCheckpoint += 1;
      buffer.push(record);
    }
    throwIfAborted(signal, stream.name);
    if (buffer.length > 0) await flush();
  } catch (error) {
    // What was collected before the failure is consistent with the saved state: keep it, so
    // that a source failing now and then still lets a long collection move forward.
    if (failure === undefined && buffer.length > 0) await flush().catch(() => {});
    throw error;
  } finally {
    // Batches already cut are complete and consistent: let them land before anything else happens.
    await running;
  }
  throwIfFailed();
  throwIfAborted(signal, stream.name);

  // The run is complete: sweep what a full run did not see again, and clear the run marker.
  await store.transaction(async (writer) => {
    if (marker.full) {
      outcome.removed = await sweepAfterFullRun(writer, run, marker.startedAt);
    }
    await saveState(writer, stateKey, { version: 1, cursor, skip: 0, run: null } satisfies TopLevelState);
  });
  return outcome;
}

export function throwIfAborted(signal: AbortSignal, stream: string): void {
  if (signal.aborted) {
    throw new LakeError(
      'SYNC_ABORTED',
      `stream "${stream}" was interrupted; the next sync resumes from its last commit`,
      {
        cause: signal.reason,
      },
    );
  }
}

/** The state as JSON saves it (the commit stores it as JSON), copied at the checkpoint. */
function snapshotState(state: unknown): unknown {
  if (state === undefined) return undefined;
  return JSON.parse(JSON.stringify(state));
}
