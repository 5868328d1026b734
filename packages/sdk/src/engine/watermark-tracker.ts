import type { RunMarker } from './stream-run.js';

/** A parent's key columns' values, in the database's order. */
export type ParentKey = unknown[];

/** A substream pass in progress, as `_lake_state` saves it. */
export interface PassState extends RunMarker {
  /** Every parent at or below this key (in the database's order) is committed. */
  watermark: ParentKey | null;
  /** Parents above the watermark that are committed too. */
  doneAbove: ParentKey[];
  /** Parents partly committed: how many of their records are in. */
  inFlight: Record<string, number>;
}

/** What one commit covers of one parent; `partialCount` is set while the parent is unfinished. */
export interface ParentProgress {
  parent: { sequence: number; key: ParentKey };
  /** Records of the parent committed so far, in total, when it is not finished. */
  partialCount?: number;
}

/**
 * Which parents of a substream pass are committed. Parents are numbered in the order they
 * are read (their keys ascending); they finish out of order, so the saved state is a
 * watermark (every parent up to it is done), the done parents above it, and the partly
 * committed ones. The state of a commit is computed before the commit and applied after it.
 */
export class WatermarkTracker {
  readonly #pass: PassState;
  readonly #keys = new Map<number, ParentKey>();
  readonly #committed = new Set<number>();
  readonly #waiters: Array<() => void> = [];
  #lowestOpen = 0;
  #watermark: ParentKey | null;
  #inFlight: Record<string, number>;

  constructor(pass: PassState) {
    this.#pass = pass;
    this.#watermark = pass.watermark;
    this.#inFlight = { ...pass.inFlight };
  }

  /** Records a parent handed out under `sequence`. */
  track(sequence: number, key: ParentKey): void {
    this.#keys.set(sequence, key);
  }

  /** Records of this parent an interrupted pass already committed. */
  committedOf(key: ParentKey): number {
    return this.#inFlight[JSON.stringify(key)] ?? 0;
  }

  /** The lowest sequence not yet under the watermark. */
  get lowestOpen(): number {
    return this.#lowestOpen;
  }

  /** The pass state once `items` are committed; `apply` makes it current after the commit. */
  next(items: readonly ParentProgress[]): { pass: PassState; apply: () => void } {
    const committed = new Set(this.#committed);
    const flight = { ...this.#inFlight };
    for (const item of items) {
      const id = JSON.stringify(item.parent.key);
      if (item.partialCount === undefined) {
        committed.add(item.parent.sequence);
        delete flight[id];
      } else {
        flight[id] = item.partialCount;
      }
    }
    let lowest = this.#lowestOpen;
    while (committed.has(lowest)) lowest += 1;
    const mark = lowest > this.#lowestOpen ? this.#keys.get(lowest - 1)! : this.#watermark;
    const above = [...committed].filter((sequence) => sequence >= lowest).map((sequence) => this.#keys.get(sequence)!);
    const pass: PassState = {
      ...this.#pass,
      watermark: mark,
      doneAbove: [...this.#pass.doneAbove, ...above],
      inFlight: flight,
    };
    return { pass, apply: () => this.#apply(committed, lowest, mark, flight) };
  }

  /** Resolves at the next applied commit or `wakeAll()`. */
  progressed(): Promise<void> {
    return new Promise<void>((wake) => this.#waiters.push(wake));
  }

  /** Wakes everyone waiting for progress (a failure ends the wait too). */
  wakeAll(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #apply(committed: Set<number>, lowest: number, mark: ParentKey | null, flight: Record<string, number>): void {
    for (const sequence of committed) this.#committed.add(sequence);
    for (let sequence = this.#lowestOpen; sequence < lowest; sequence += 1) {
      this.#committed.delete(sequence);
      this.#keys.delete(sequence);
    }
    this.#lowestOpen = lowest;
    this.#watermark = mark;
    this.#inFlight = flight;
    this.wakeAll();
  }
}
