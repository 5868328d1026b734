import { describe, expect, it } from 'vitest';
import { CommitQueue } from './commit-queue.js';

/** A promise and the function that settles it, to hold a commit open. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('CommitQueue', () => {
  it('commits what queued while a commit ran in one transaction, and resolves each item only once it is in', async () => {
    const commits: number[][] = [];
    const first = gate();
    const queue = new CommitQueue<number>(async (items) => {
      commits.push(items);
      if (commits.length === 1) await first.opened;
    });
    const settled: number[] = [];
    const one = queue.enqueue(1).then(() => settled.push(1));
    const two = queue.enqueue(2).then(() => settled.push(2));
    const three = queue.enqueue(3).then(() => settled.push(3));
    await Promise.resolve();
    // The producer is held back: nothing resolves while the first commit is open.
    expect(settled).toEqual([]);
    first.open();
    await Promise.all([one, two, three]);
    expect(commits).toEqual([[1], [2, 3]]);
    expect(settled).toEqual([1, 2, 3]);
    await queue.drained();
    expect(queue.failed).toBe(false);
  });

  it('a failing commit rejects its items, everything queued behind it and every later item', async () => {
    const failure = new Error('disk full');
    const first = gate();
    const committed: number[][] = [];
    const failures: unknown[] = [];
    const queue = new CommitQueue<number>(
      async (items) => {
        await first.opened;
        if (items.includes(1)) throw failure;
        committed.push(items);
      },
      (error) => failures.push(error),
    );
    const results = Promise.allSettled([queue.enqueue(1), queue.enqueue(2)]);
    first.open();
    expect(await results).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
    await expect(queue.enqueue(3)).rejects.toBe(failure);
    await queue.drained();
    expect(committed).toEqual([]);
    expect(failures).toEqual([failure]);
    expect(queue.failed).toBe(true);
    expect(queue.failure).toBe(failure);
  });
});
