import type { SubstreamCollectContext } from '../contract/context.js';
import type { RawRecord, Substream } from '../contract/stream.js';
import type { ToolTable } from '../contract/tool-table.js';
import { commitBatch, mergeBatches, StreamProgress } from './batch-commit.js';
import { CommitQueue } from './commit-queue.js';
import { toolShape } from './layer-table-shapes.js';
import { ParentReader, type ParentWork } from './parent-reader.js';
import type { PreparedBatch } from './record-pipeline.js';
import { loadState, saveState } from './state-store.js';
import { throwIfAborted } from './stream-abort.js';
import type { StreamOutcome, StreamRun } from './stream-run.js';
import { sweepAfterFullRun } from './sweep.js';
import { type PassState, WatermarkTracker } from './watermark-tracker.js';

/** Records one parent may buffer before they are committed on their own (and counted for resume). */
const MAX_PARENT_BUFFER = 5_000;

/** What `_lake_state` holds for a substream. */
export interface SubstreamState {
  version: 1;
  run: PassState | null;
  /** Start of the last completed pass; an incremental pass visits parents written since. */
  since: string | null;
}

interface CommitItem {
  parent: ParentWork;
  records: RawRecord[];
  /** Set when the parent is not finished: records of it committed so far, in total. */
  partialCount?: number;
}

/** One substream pass: what it resumes, where it starts, and how it commits. */
interface Pass {
  run: StreamRun;
  stream: Substream;
  state: PassState;
  saved: SubstreamState | undefined;
  since: Date | undefined;
  keyColumns: string[];
  tracker: WatermarkTracker;
  queue: CommitQueue<CommitItem>;
}

/**
 * Runs a substream: its parents (rows of the parent stream's tool table) are read in key
 * order and collected `concurrency` at a time; each commit saves which parents are done,
 * so an interrupted pass resumes without collecting a finished parent again.
 */
export async function runSubstream(run: StreamRun): Promise<StreamOutcome> {
  const { store, stateKey, options, signal } = run;
  const stream = run.stream as Substream;
  const saved = await loadState<SubstreamState>(store, stateKey);
  const resumed = Boolean(saved?.run && (!options.full || saved.run.full));
  const state = resumed ? saved!.run! : await newPass(options.full || !stream.incremental || !saved?.since);
  const outcome: StreamOutcome = { records: 0, toolRows: 0, domainRows: 0, removed: 0, full: state.full, resumed };
  const progress = new StreamProgress(run, outcome);
  run.emit({ type: 'stream-start', stream: stream.name, full: state.full, resumed });

  const tracker = new WatermarkTracker(state);
  const pass: Pass = {
    run,
    stream,
    state,
    saved,
    since: state.full || !saved?.since ? undefined : new Date(saved.since),
    keyColumns: toolShape(run.connector, stream.parent.table as ToolTable).keys.filter(
      (name) => name !== 'connection_id',
    ),
    tracker,
    queue: new CommitQueue<CommitItem>(
      (items) => commitParents(pass, items, progress),
      () => tracker.wakeAll(),
    ),
  };
  await collectAll(pass, Math.max(1, stream.concurrency ?? options.concurrency));
  throwIfAborted(signal, stream.name);

  await store.transaction(async (writer) => {
    if (state.full) outcome.removed = await sweepAfterFullRun(writer, run, state.startedAt);
    await saveState(writer, stateKey, { version: 1, run: null, since: state.startedAt } satisfies SubstreamState);
  });
  return outcome;
}

/**
 * A new pass, started in a millisecond later than every parent written before it: the next
 * incremental pass visits parents with `updated_at >= startedAt`, and a parent row committed
 * in the very millisecond the pass started would be visited (and collected) again.
 */
async function newPass(full: boolean): Promise<PassState> {
  const before = Date.now();
  while (Date.now() <= before) await new Promise((resolve) => setTimeout(resolve, 1));
  return { startedAt: new Date().toISOString(), full, watermark: null, doneAbove: [], inFlight: {} };
}

/** Collects every parent with `concurrency` workers; throws the first failure once commits have settled. */
async function collectAll(pass: Pass, concurrency: number): Promise<void> {
  const { run, stream, state, since, keyColumns, tracker, queue } = pass;
  let failure: unknown;
  const parents = new ParentReader({
    store: run.store,
    shape: toolShape(run.connector, stream.parent.table as ToolTable),
    keyColumns,
    where: [
      ['connection_id', '=', run.context.ids.connectionId],
      ['_raw_data_params', '=', run.context.rawParams],
      ...(since ? [['updated_at', '>=', since, { kind: 'datetime' }] as const] : []),
    ],
    after: state.watermark,
    alreadyDone: new Set(state.doneAbove.map((key) => JSON.stringify(key))),
    filter: stream.parent.filter as ((row: Record<string, unknown>) => boolean) | undefined,
    tracker,
    window: concurrency * 8,
    stopped: () => failure !== undefined || queue.failed,
  });
  const worker = async () => {
    while (failure === undefined) {
      const parent = await parents.next();
      if (!parent) return;
      try {
        await collectParent(pass, parent);
      } catch (error) {
        failure ??= error;
        tracker.wakeAll();
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await queue.drained();
    await parents.close();
  }
  if (failure !== undefined) throw failure;
  if (queue.failed) throw queue.failure;
}

/** Collects one parent's records, committing them in pieces when the parent yields many. */
async function collectParent(pass: Pass, parent: ParentWork): Promise<void> {
  const { run, stream, state, since, keyColumns, tracker, queue } = pass;
  const context: SubstreamCollectContext<never> = { ...run.context, since, full: state.full };
  const skip = tracker.committedOf(parent.key);
  const input = Object.fromEntries(keyColumns.map((name, index) => [name, parent.key[index]]));
  let yielded = 0;
  let records: RawRecord[] = [];
  for await (const record of stream.collect(context, parent.row as never)) {
    throwIfAborted(run.signal, stream.name);
    yielded += 1;
    if (yielded <= skip) continue;
    records.push(record.input === undefined ? { ...record, input } : record);
    if (records.length >= MAX_PARENT_BUFFER) {
      await queue.enqueue({ parent, records, partialCount: yielded });
      records = [];
    }
  }
  throwIfAborted(run.signal, stream.name);
  await queue.enqueue({ parent, records });
}

/** One transaction: the records of everything queued, with the pass state that covers them. */
async function commitParents(pass: Pass, items: CommitItem[], progress: StreamProgress): Promise<void> {
  const { run, tracker } = pass;
  const now = new Date();
  const batches: PreparedBatch[] = [];
  for (const item of items) batches.push(await run.pipeline.prepareCollected(item.records, run.options.phases, now));
  const next = tracker.next(items);
  const state: SubstreamState = { version: 1, run: next.pass, since: pass.saved?.since ?? null };
  const counts = await commitBatch(run, mergeBatches(batches), state);
  next.apply();
  progress.add(counts);
}
