import type { CollectContext } from '../contract/context.js';
import type { Stream } from '../contract/stream.js';
import { commitBatch, StreamProgress } from './batch-commit.js';
import { CheckpointBuffer, type TopLevelState } from './checkpoint-buffer.js';
import { CommitChain } from './commit-chain.js';
import { loadState, saveState } from './state-store.js';
import { throwIfAborted } from './stream-abort.js';
import type { RunMarker, StreamOutcome, StreamRun } from './stream-run.js';
import { sweepAfterFullRun } from './sweep.js';

export type { TopLevelState } from './checkpoint-buffer.js';

/**
 * Runs a top-level stream: its records are buffered between the collector's checkpoints and
 * committed in batches with the state that covers them, while the collector goes on fetching.
 */
export async function runTopLevelStream(run: StreamRun): Promise<StreamOutcome> {
  const { store, stateKey, options, signal } = run;
  const stream = run.stream as Stream;
  const saved = await loadState<TopLevelState>(store, stateKey);
  const resumed = Boolean(saved?.run && (!options.full || saved.run.full));
  const marker: RunMarker = resumed
    ? saved!.run!
    : { startedAt: new Date().toISOString(), full: options.full || !stream.incremental };
  const skip = resumed ? (saved?.skip ?? 0) : 0;
  const outcome: StreamOutcome = { records: 0, toolRows: 0, domainRows: 0, removed: 0, full: marker.full, resumed };
  const progress = new StreamProgress(run, outcome);

  run.emit({ type: 'stream-start', stream: stream.name, full: marker.full, resumed });
  if (resumed) run.logger.info(`resuming an interrupted ${marker.full ? 'full' : 'incremental'} run`, { skip });

  const chain = new CommitChain();
  const buffer = new CheckpointBuffer({
    marker,
    cursor: resumed || !marker.full ? saved?.cursor : undefined,
    skip,
    batchSize: options.batchSize,
    chain,
    logger: run.logger,
    commit: async (records, state) => {
      const batch = await run.pipeline.prepareCollected(records, options.phases, new Date());
      progress.add(await commitBatch(run, batch, state));
    },
  });
  await collectInto(run, stream, marker, buffer, chain, progress);
  chain.throwIfFailed();
  throwIfAborted(signal, stream.name);

  // The run is complete: sweep what a full run did not see again, and clear the run marker.
  await store.transaction(async (writer) => {
    if (marker.full) outcome.removed = await sweepAfterFullRun(writer, run, marker.startedAt);
    const state = { version: 1, cursor: buffer.cursor, skip: 0, run: null } satisfies TopLevelState;
    await saveState(writer, stateKey, state);
  });
  return outcome;
}

/** Runs the collector into the buffer; the batches already cut have landed when it returns or throws. */
async function collectInto(
  run: StreamRun,
  stream: Stream,
  marker: RunMarker,
  buffer: CheckpointBuffer,
  chain: CommitChain,
  progress: StreamProgress,
): Promise<void> {
  const context: CollectContext<never, unknown> = {
    ...run.context,
    state: buffer.cursor as never,
    full: marker.full,
    checkpoint: (state) => {
      throwIfAborted(run.signal, stream.name);
      return buffer.checkpoint(state);
    },
    reportTotal: (value) => {
      progress.total = value;
    },
  };
  try {
    for await (const record of stream.collect(context)) {
      throwIfAborted(run.signal, stream.name);
      chain.throwIfFailed();
      await buffer.add(record);
    }
    throwIfAborted(run.signal, stream.name);
    if (buffer.buffered > 0) await buffer.flush();
  } catch (error) {
    // What was collected before the failure is consistent with the saved state: keep it, so
    // that a source failing now and then still lets a long collection move forward.
    if (!chain.failed && buffer.buffered > 0) await buffer.flush().catch(() => {});
    throw error;
  } finally {
    // Batches already cut are complete and consistent: let them land before anything else happens.
    await chain.settled();
  }
}
