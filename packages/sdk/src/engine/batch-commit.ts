import type { PreparedBatch, WrittenCounts } from './record-pipeline.js';
import { saveState } from './state-store.js';
import type { StreamOutcome, StreamRun } from './stream-run.js';

/** Writes a prepared batch and the state that covers it in one transaction. */
export async function commitBatch(run: StreamRun, batch: PreparedBatch, state: unknown): Promise<WrittenCounts> {
  return await run.store.transaction(async (writer) => {
    const written = await run.pipeline.write(writer, batch);
    await saveState(writer, run.stateKey, state);
    return written;
  });
}

/**
 * A stream's running totals: adds each commit's counts to the outcome and reports progress.
 *
 *   const progress = new StreamProgress(run, outcome);
 *   progress.add(await commitBatch(run, batch, state));
 */
export class StreamProgress {
  readonly #run: StreamRun;
  readonly #outcome: StreamOutcome;
  readonly #started = Date.now();
  /** The total the collector reported, if any. */
  total: number | undefined;

  constructor(run: StreamRun, outcome: StreamOutcome) {
    this.#run = run;
    this.#outcome = outcome;
  }

  add(counts: WrittenCounts): void {
    const outcome = this.#outcome;
    outcome.records += counts.raw;
    outcome.toolRows += counts.tool;
    outcome.domainRows += counts.domain;
    outcome.removed += counts.removed;
    this.#run.emit({
      type: 'stream-progress',
      stream: this.#run.stream.name,
      records: outcome.records,
      total: this.total,
      elapsedMs: Date.now() - this.#started,
    });
  }
}

/** One batch of several prepared ones, raw indexes shifted to their place in it. */
export function mergeBatches(batches: PreparedBatch[]): PreparedBatch {
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
