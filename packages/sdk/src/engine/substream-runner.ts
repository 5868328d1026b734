import type { SubstreamCollectContext } from '../contract/context.js';
import type { RawRecord, Substream } from '../contract/stream.js';
import type { ToolTable } from '../contract/tool-table.js';
import { normalizeRow } from '../store/value-codec.js';
import { readByKey } from './keyset-reader.js';
import type { PreparedBatch } from './record-pipeline.js';
import { loadState, saveState } from './state-store.js';
import type { RunMarker, StreamOutcome, StreamRun } from './stream-run.js';
import { sweepAfterFullRun } from './sweep.js';
import { toolShape } from './table-shapes.js';
import { throwIfAborted } from './top-level-stream-runner.js';

/** Parents read from the database per query. */
const PARENT_PAGE = 200;
/** Records one parent may buffer before they are committed on their own (and counted for resume). */
const MAX_PARENT_BUFFER = 5_000;

type ParentKey = unknown[];

interface PassState extends RunMarker {
  /** Every parent at or below this key (in the database's order) is committed. */
  watermark: ParentKey | null;
  /** Parents above the watermark that are committed too. */
  doneAbove: ParentKey[];
  /** Parents partly committed: how many of their records are in. */
  inFlight: Record<string, number>;
}

/** What `_lake_state` holds for a substream. */
export interface SubstreamState {
  version: 1;
  run: PassState | null;
  /** Start of the last completed pass; an incremental pass visits parents written since. */
  since: string | null;
}

interface ParentWork {
  sequence: number;
  key: ParentKey;
  row: Record<string, unknown>;
}

interface CommitItem {
  parent: ParentWork;
  records: RawRecord[];
  /** Set when the parent is not finished: records of it committed so far, in total. */
  partialCount?: number;
}

export async function runSubstream(run: StreamRun): Promise<StreamOutcome> {
  const { store, pipeline, stateKey, options, signal } = run;
  const stream = run.stream as Substream;
  const saved = await loadState<SubstreamState>(store, stateKey);
  const resumed = Boolean(saved?.run && (!options.full || saved.run.full));
  const pass: PassState = resumed
    ? saved!.run!
    : {
        startedAt: new Date().toISOString(),
        full: options.full || !stream.incremental || !saved?.since,
        watermark: null,
        doneAbove: [],
        inFlight: {},
      };
  const since = pass.full || !saved?.since ? undefined : new Date(saved.since);
  const outcome: StreamOutcome = { records: 0, toolRows: 0, domainRows: 0, removed: 0, full: pass.full, resumed };
  const started = Date.now();
  const concurrency = Math.max(1, stream.concurrency ?? options.concurrency);
  const window = concurrency * 8;

  run.emit({ type: 'stream-start', stream: stream.name, full: pass.full, resumed });

  const parentTable = stream.parent.table as ToolTable;
  const parentShape = toolShape(run.connector, parentTable);
  const parentKeyColumns = parentShape.keys.filter((name) => name !== 'connection_id');
  const alreadyDone = new Set(pass.doneAbove.map((key) => JSON.stringify(key)));

  let failure: unknown;

  // ── progress bookkeeping (in memory; persisted with each commit) ──────────
  const keysBySequence = new Map<number, ParentKey>();
  const committedSequences = new Set<number>();
  let lowestOpen = 0;
  let watermark = pass.watermark;
  const inFlight = { ...pass.inFlight };
  const progressWaiters: Array<() => void> = [];

  const nextState = (items: CommitItem[]): { state: SubstreamState; apply: () => void } => {
    const committed = new Set(committedSequences);
    const flight = { ...inFlight };
    for (const item of items) {
      const id = JSON.stringify(item.parent.key);
      if (item.partialCount === undefined) {
        committed.add(item.parent.sequence);
        delete flight[id];
      } else {
        flight[id] = item.partialCount;
      }
    }
    let lowest = lowestOpen;
    while (committed.has(lowest)) lowest += 1;
    const mark = lowest > lowestOpen ? keysBySequence.get(lowest - 1)! : watermark;
    const above = [...committed]
      .filter((sequence) => sequence >= lowest)
      .map((sequence) => keysBySequence.get(sequence)!);
    const state: SubstreamState = {
      version: 1,
      run: { ...pass, watermark: mark, doneAbove: [...pass.doneAbove, ...above], inFlight: flight },
      since: saved?.since ?? null,
    };
    return {
      state,
      apply: () => {
        for (const sequence of committed) committedSequences.add(sequence);
        for (let sequence = lowestOpen; sequence < lowest; sequence += 1) {
          committedSequences.delete(sequence);
          keysBySequence.delete(sequence);
        }
        lowestOpen = lowest;
        watermark = mark;
        for (const key of Object.keys(inFlight)) delete inFlight[key];
        Object.assign(inFlight, flight);
        for (const wake of progressWaiters.splice(0)) wake();
      },
    };
  };

  // ── the committer: one transaction at a time, taking everything queued ─────
  const queue: Array<{ item: CommitItem; resolve: () => void; reject: (error: unknown) => void }> = [];
  let committing: Promise<void> | null = null;
  let commitFailure: unknown;

  const commitQueued = async () => {
    while (queue.length > 0) {
      const entries = queue.splice(0);
      try {
        const now = new Date();
        const batches: PreparedBatch[] = [];
        for (const { item } of entries)
          batches.push(await pipeline.prepareCollected(item.records, options.phases, now));
        const merged = mergeBatches(batches);
        const { state, apply } = nextState(entries.map((entry) => entry.item));
        const counts = await store.transaction(async (writer) => {
          const written = await pipeline.write(writer, merged);
          await saveState(writer, stateKey, state);
          return written;
        });
        apply();
        outcome.records += counts.raw;
        outcome.toolRows += counts.tool;
        outcome.domainRows += counts.domain;
        outcome.removed += counts.removed;
        run.emit({
          type: 'stream-progress',
          stream: stream.name,
          records: outcome.records,
          total: undefined,
          elapsedMs: Date.now() - started,
        });
        for (const entry of entries) entry.resolve();
      } catch (error) {
        commitFailure ??= error;
        for (const entry of [...entries, ...queue.splice(0)]) entry.reject(error);
        for (const wake of progressWaiters.splice(0)) wake();
      }
    }
    committing = null;
  };

  const enqueue = (item: CommitItem) =>
    new Promise<void>((resolve, reject) => {
      if (commitFailure) return reject(commitFailure);
      queue.push({ item, resolve, reject });
      committing ??= commitQueued();
    });

  // ── parents, in key order, from the database ──────────────────────────────
  const parentRows = async function* (): AsyncGenerator<Record<string, unknown>> {
    const pages = readByKey(store, {
      table: parentShape.name,
      where: [
        ['connection_id', '=', run.context.ids.connectionId],
        ['_raw_data_params', '=', run.context.rawParams],
        ...(since ? [['updated_at', '>=', since, { kind: 'datetime' }] as const] : []),
      ],
      keyColumns: parentKeyColumns,
      after: pass.watermark,
      pageSize: PARENT_PAGE,
    });
    for await (const rows of pages) for (const row of rows) yield normalizeRow(parentShape.columns, row);
  };
  const parents = parentRows();
  let sequence = 0;
  let reading: Promise<unknown> = Promise.resolve();

  const nextParent = (): Promise<ParentWork | undefined> => {
    const next = reading.then(async () => {
      for (;;) {
        const result = await parents.next();
        if (result.done) return undefined;
        const row = result.value;
        const key = parentKeyColumns.map((name) => row[name]);
        if (alreadyDone.has(JSON.stringify(key))) continue;
        if (stream.parent.filter && !stream.parent.filter(row as never)) continue;
        while (sequence - lowestOpen >= window) {
          if (failure !== undefined || commitFailure !== undefined) return undefined;
          await new Promise<void>((wake) => progressWaiters.push(wake));
        }
        const work = { sequence, key, row };
        keysBySequence.set(sequence, key);
        sequence += 1;
        return work;
      }
    });
    reading = next.catch(() => {});
    return next;
  };

  const collectParent = async (parent: ParentWork) => {
    const context: SubstreamCollectContext<never> = { ...run.context, since, full: pass.full };
    const id = JSON.stringify(parent.key);
    const skip = inFlight[id] ?? 0;
    const input = Object.fromEntries(parentKeyColumns.map((name, index) => [name, parent.key[index]]));
    let yielded = 0;
    let records: RawRecord[] = [];
    for await (const record of stream.collect(context, parent.row as never)) {
      throwIfAborted(signal, stream.name);
      yielded += 1;
      if (yielded <= skip) continue;
      records.push(record.input === undefined ? { ...record, input } : record);
      if (records.length >= MAX_PARENT_BUFFER) {
        await enqueue({ parent, records, partialCount: yielded });
        records = [];
      }
    }
    throwIfAborted(signal, stream.name);
    await enqueue({ parent, records });
  };

  const worker = async () => {
    while (failure === undefined) {
      const parent = await nextParent();
      if (!parent) return;
      try {
        await collectParent(parent);
      } catch (error) {
        failure ??= error;
        for (const wake of progressWaiters.splice(0)) wake();
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await (committing ?? Promise.resolve());
    await parents.return(undefined);
  }
  if (failure !== undefined) throw failure;
  if (commitFailure !== undefined) throw commitFailure;
  throwIfAborted(signal, stream.name);

  await store.transaction(async (writer) => {
    if (pass.full) {
      outcome.removed = await sweepAfterFullRun(writer, run, pass.startedAt);
    }
    await saveState(writer, stateKey, { version: 1, run: null, since: pass.startedAt } satisfies SubstreamState);
  });
  return outcome;
}

function mergeBatches(batches: PreparedBatch[]): PreparedBatch {
  if (batches.length === 1) return batches[0]!;
  const merged: PreparedBatch = { raw: [], tool: [], domain: [] };
  for (const batch of batches) {
    const offset = merged.raw.length;
    merged.raw.push(...batch.raw);
    for (const row of batch.tool) merged.tool.push({ ...row, rawIndex: row.rawIndex + offset });
    for (const row of batch.domain) merged.domain.push({ ...row, rawIndex: row.rawIndex + offset });
    for (const layer of ['tool', 'domain'] as const) {
      for (const [shape, keys] of batch.stale?.[layer] ?? []) {
        merged.stale ??= { tool: new Map(), domain: new Map() };
        merged.stale[layer].set(shape, [...(merged.stale[layer].get(shape) ?? []), ...keys]);
      }
    }
  }
  return merged;
}
