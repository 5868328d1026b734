import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('lets a real fetch send its next request before the commit blocks the thread', async () => {
    // Pages as an API serves them: a few hundred kilobytes of JSON each.
    const page = JSON.stringify(
      Array.from({ length: 1000 }, (_, id) => ({ id, title: `Item ${id}`.padEnd(200, '.') })),
    );
    const server = createServer((_request, response) => response.end(page));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const order: string[] = [];
    // Node's fetch reports the moment it writes a request's headers to the socket.
    const onSend = () => order.push('request sent');
    subscribe('undici:client:sendHeaders', onSend);
    const pageOrders: string[][] = [];
    try {
      const chain = new CommitChain();
      // A collector's loop: each page's commit is queued right before the next page is asked for.
      let response = await fetch(`http://127.0.0.1:${port}/items?page=1`);
      for (let number = 2; number <= 6; number += 1) {
        const items = (await response.json()) as unknown[];
        order.length = 0;
        await chain.add(async () => {
          order.push(`commit of ${items.length}`);
        });
        response = await fetch(`http://127.0.0.1:${port}/items?page=${number}`);
        await chain.settled();
        pageOrders.push([...order]);
      }
      await response.arrayBuffer();
    } finally {
      unsubscribe('undici:client:sendHeaders', onSend);
      server.close();
    }
    // The connection's first reuse waits for the socket to be handed back (I/O), so page 2's
    // request may leave after its commit; from then on every request leaves first.
    expect(pageOrders.slice(1)).toEqual(Array(4).fill(['request sent', 'commit of 1000']));
  });
});
