import { describe, expect, it } from 'vitest';
import { CommitChain } from './commit-chain.js';

describe('CommitChain', () => {
  it('runs commits in order and lets the producer run one commit ahead, not more', async () => {
    const chain = new CommitChain();
    const order: string[] = [];
    let openFirst = () => {};
    const firstOpen = new Promise<void>((resolve) => {
      openFirst = resolve;
    });
    await chain.add(async () => {
      await firstOpen;
      order.push('first');
    });
    // The first add returned at once (nothing ran before it); the second waits for the first.
    let secondReturned = false;
    const second = chain
      .add(async () => {
        order.push('second');
      })
      .then(() => {
        secondReturned = true;
      });
    await Promise.resolve();
    expect(secondReturned).toBe(false);
    openFirst();
    await second;
    await chain.settled();
    expect(order).toEqual(['first', 'second']);
  });

  it('keeps the first failure, skips later commits and throws it to the producer', async () => {
    const chain = new CommitChain();
    const failure = new Error('constraint violated');
    const ran: string[] = [];
    await chain.add(async () => {
      throw failure;
    });
    await expect(
      chain.add(async () => {
        ran.push('after');
      }),
    ).rejects.toBe(failure);
    await chain.settled();
    expect(ran).toEqual([]);
    expect(chain.failed).toBe(true);
    expect(() => chain.throwIfFailed()).toThrow(failure);
  });

  it('starts a commit only once the producer has had its turn (its next request goes out first)', async () => {
    const chain = new CommitChain();
    const order: string[] = [];
    await chain.add(async () => {
      order.push('commit');
    });
    // What the producer does right after `add` (a collector asking for its next page: many
    // promise steps) comes before the commit, which a database driver may run synchronously.
    for (let step = 0; step < 50; step += 1) await Promise.resolve();
    order.push('producer');
    await chain.settled();
    expect(order).toEqual(['producer', 'commit']);
  });
});
