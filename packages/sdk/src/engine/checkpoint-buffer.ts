import type { RawRecord } from '../contract/stream.js';
import type { Logger } from '../logging/logger.js';
import type { CommitChain } from './commit-chain.js';
import type { RunMarker } from './stream-run.js';

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

export interface CheckpointBufferOptions {
  marker: RunMarker;
  /** The cursor the run starts from and the records after it an interrupted run committed. */
  cursor: unknown;
  skip: number;
  batchSize: number;
  chain: CommitChain;
  commit: (records: RawRecord[], state: TopLevelState) => Promise<void>;
  logger: Logger;
}

/**
 * A top-level stream's records between checkpoints: skips what an interrupted run already
 * committed, and cuts a batch (its records and the state covering them fixed at once) when
 * it is full, or at a checkpoint once a second has passed since the last cut.
 */
export class CheckpointBuffer {
  readonly #options: CheckpointBufferOptions;
  #cursor: unknown;
  #skip: number;
  #sinceCheckpoint = 0;
  #buffer: RawRecord[] = [];
  #lastCut = Date.now();

  constructor(options: CheckpointBufferOptions) {
    this.#options = options;
    this.#cursor = options.cursor;
    this.#skip = options.skip;
  }

  /** The connector's state as of the last checkpoint. */
  get cursor(): unknown {
    return this.#cursor;
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  async add(record: RawRecord): Promise<void> {
    if (this.#sinceCheckpoint < this.#skip) {
      this.#sinceCheckpoint += 1;
      return;
    }
    // A full batch is cut only when more arrives: a checkpoint right at the batch's end then
    // rides along in the same commit instead of costing one of its own.
    if (this.#buffer.length >= this.#options.batchSize) await this.flush();
    this.#sinceCheckpoint += 1;
    this.#buffer.push(record);
  }

  /**
   * A checkpoint says what covers the records yielded so far; it does not force a commit:
   * APIs with small pages (GitHub's 100) would otherwise pay for a commit per page. What a
   * crash loses is re-collected from the last committed checkpoint.
   */
  async checkpoint(state: unknown): Promise<void> {
    if (this.#sinceCheckpoint < this.#skip) {
      // The collector checkpointed before reaching what the interrupted run had committed:
      // it is not deterministic, so trust the checkpoint and stop skipping.
      this.#options.logger.warn(
        'collector checkpointed inside the already-committed range; resuming from its checkpoint',
        { skip: this.#skip, sinceCheckpoint: this.#sinceCheckpoint },
      );
    }
    // Everything up to here is covered by the new checkpoint: nothing more to skip. The state is
    // copied now: collectors often keep moving the object they checkpointed, and the commit
    // that saves it runs later.
    this.#cursor = snapshotState(state);
    this.#sinceCheckpoint = 0;
    this.#skip = 0;
    if (this.#buffer.length >= this.#options.batchSize || Date.now() - this.#lastCut >= CHECKPOINT_COMMIT_INTERVAL_MS)
      await this.flush();
  }

  /** Cuts a batch of everything buffered, with the state that covers it, and queues its commit. */
  async flush(): Promise<void> {
    const { chain, commit, marker } = this.#options;
    chain.throwIfFailed();
    const records = this.#buffer;
    this.#buffer = [];
    this.#lastCut = Date.now();
    const state: TopLevelState = { version: 1, cursor: this.#cursor, skip: this.#sinceCheckpoint, run: marker };
    await chain.add(() => commit(records, state));
  }
}

/** The state as JSON saves it (the commit stores it as JSON), copied at the checkpoint. */
function snapshotState(state: unknown): unknown {
  if (state === undefined) return undefined;
  return JSON.parse(JSON.stringify(state));
}
