interface Entry<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Commits items one transaction at a time, each transaction taking everything queued while
 * the one before it ran. `enqueue` resolves once its item is committed, which holds a
 * producer back while the database is behind. The first failure rejects the items in that
 * commit, everything queued, and every later `enqueue`.
 *
 *   const queue = new CommitQueue<Row>((rows) => store.transaction((writer) => write(writer, rows)));
 *   await queue.enqueue(row);
 */
export class CommitQueue<T> {
  readonly #commit: (items: T[]) => Promise<void>;
  readonly #onFailure: (error: unknown) => void;
  readonly #queue: Entry<T>[] = [];
  #running: Promise<void> | null = null;
  #failed = false;
  #failure: unknown;

  constructor(commit: (items: T[]) => Promise<void>, onFailure: (error: unknown) => void = () => {}) {
    this.#commit = commit;
    this.#onFailure = onFailure;
  }

  /** Whether a commit failed; nothing is committed after that. */
  get failed(): boolean {
    return this.#failed;
  }

  /** The first commit's failure, if any. */
  get failure(): unknown {
    return this.#failure;
  }

  enqueue(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#failed) return reject(this.#failure);
      this.#queue.push({ item, resolve, reject });
      this.#running ??= this.#commitQueued();
    });
  }

  /** Resolves once nothing is being committed. */
  async drained(): Promise<void> {
    await (this.#running ?? Promise.resolve());
  }

  async #commitQueued(): Promise<void> {
    while (this.#queue.length > 0) {
      const entries = this.#queue.splice(0);
      try {
        await this.#commit(entries.map((entry) => entry.item));
        for (const entry of entries) entry.resolve();
      } catch (error) {
        if (!this.#failed) {
          this.#failed = true;
          this.#failure = error;
        }
        for (const entry of [...entries, ...this.#queue.splice(0)]) entry.reject(error);
        this.#onFailure(error);
      }
    }
    this.#running = null;
  }
}
