import { setTimeout as nextTimer } from 'node:timers/promises';

/**
 * Commits that run one after another, in order, while the producer goes on: `add` returns
 * once the commit queued before this one has finished, so at most one waits behind the
 * running one and memory stays at a few batches. A commit starts only after the event loop has
 * gone round once (a timer, not `setImmediate`): the producer first gets to send its next request
 * (a collector asking for the next page), so the source prepares that page while the commit
 * writes this one, even when the database driver writes synchronously (better-sqlite3). Node's
 * fetch writes a request from a later turn of the loop than the call; a commit in the same
 * turn's check phase ran before it and the source waited idle (measured: 2.8 s of 3.9 s
 * between creating and sending 100 requests in `pnpm bench`'s SDK scenario; 0.06 s with the
 * timer). The first failure is kept; later commits are skipped and `add` / `throwIfFailed` throw it.
 *
 *   const chain = new CommitChain();
 *   await chain.add(() => commit(records, state));
 *   await chain.settled();
 *   chain.throwIfFailed();
 */
export class CommitChain {
  #running: Promise<void> = Promise.resolve();
  #failed = false;
  #failure: unknown;

  get failed(): boolean {
    return this.#failed;
  }

  throwIfFailed(): void {
    if (this.#failed) throw this.#failure;
  }

  async add(commit: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    const previous = this.#running;
    this.#running = previous
      .then(() => nextTimer(0))
      .then(() => (this.#failed ? undefined : commit()))
      .catch((error: unknown) => {
        if (this.#failed) return;
        this.#failed = true;
        this.#failure = error;
      });
    // Back-pressure: wait for the commit before this one, not for this one.
    await previous;
    this.throwIfFailed();
  }

  /** Resolves once every commit added so far has finished or been skipped. */
  async settled(): Promise<void> {
    await this.#running;
  }
}
