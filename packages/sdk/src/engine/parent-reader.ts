import type { Store } from '../store/store.js';
import type { TableShape } from '../store/table-shape.js';
import { normalizeRow } from '../store/value-codec.js';
import { type KeysetQuery, readByKey } from './keyset-reader.js';
import type { ParentKey, WatermarkTracker } from './watermark-tracker.js';

/** Parents read from the database per query. */
const PARENT_PAGE = 200;

/** A parent handed to a substream worker, numbered in reading order. */
export interface ParentWork {
  sequence: number;
  key: ParentKey;
  row: Record<string, unknown>;
}

export interface ParentReaderOptions {
  store: Store;
  /** The parent stream's tool table. */
  shape: TableShape;
  /** The parent's key columns without `connection_id`: the reading order. */
  keyColumns: readonly string[];
  where: KeysetQuery['where'];
  /** Start after this key: the interrupted pass's watermark. */
  after: ParentKey | null;
  /** Keys (as JSON) of parents already committed above the watermark. */
  alreadyDone: ReadonlySet<string>;
  /** The stream's parent filter. */
  filter?: (row: Record<string, unknown>) => boolean;
  tracker: WatermarkTracker;
  /** Parents handed out at most beyond the watermark: keeps the state (and memory) bounded. */
  window: number;
  /** True once the pass failed: stop handing out parents. */
  stopped: () => boolean;
}

/**
 * Hands out a substream's parents in key order to concurrent workers, one at a time,
 * skipping those already committed and holding back while `window` parents are open.
 */
export class ParentReader {
  readonly #options: ParentReaderOptions;
  readonly #rows: AsyncGenerator<Record<string, unknown>>;
  #sequence = 0;
  #reading: Promise<unknown> = Promise.resolve();

  constructor(options: ParentReaderOptions) {
    this.#options = options;
    this.#rows = this.#read();
  }

  /** The next parent to collect, or undefined when there are no more (or the pass stopped). */
  next(): Promise<ParentWork | undefined> {
    const next = this.#reading.then(() => this.#take());
    this.#reading = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    await this.#rows.return(undefined);
  }

  async #take(): Promise<ParentWork | undefined> {
    const { keyColumns, alreadyDone, filter, tracker, window, stopped } = this.#options;
    for (;;) {
      const result = await this.#rows.next();
      if (result.done) return undefined;
      const row = result.value;
      const key = keyColumns.map((name) => row[name]);
      if (alreadyDone.has(JSON.stringify(key))) continue;
      if (filter && !filter(row)) continue;
      while (this.#sequence - tracker.lowestOpen >= window) {
        if (stopped()) return undefined;
        await tracker.progressed();
      }
      const work = { sequence: this.#sequence, key, row };
      tracker.track(this.#sequence, key);
      this.#sequence += 1;
      return work;
    }
  }

  async *#read(): AsyncGenerator<Record<string, unknown>> {
    const { store, shape, keyColumns, where, after } = this.#options;
    const pages = readByKey(store, { table: shape.name, where, keyColumns, after, pageSize: PARENT_PAGE });
    for await (const rows of pages) for (const row of rows) yield normalizeRow(shape.columns, row);
  }
}
