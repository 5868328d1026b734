import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector } from '../contract/define-connector.js';
import { defineStream, defineSubstream } from '../contract/stream.js';
import { defineToolTable } from '../contract/tool-table.js';
import { column, key } from '../domain/columns.js';
import { domainRecord } from '../domain/domain-schema.js';
import { openStore } from '../store/store.js';
import { snapshotLake } from '../testing/snapshot-lake.js';
import { runSync } from './sync.js';

/**
 * Resolves once `count` callers have arrived, all of them together; rejects if they never do
 * (work run one at a time would wait here forever).
 */
function barrier(count: number, timeoutMs = 30_000): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${arrived} of ${count} arrived together within ${timeoutMs} ms`)),
      timeoutMs,
    );
    open = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  opened.catch(() => {});
  return () => {
    arrived += 1;
    if (arrived === count) open();
    return opened;
  };
}

/**
 * A parent stream of `parents` rows, each with `children` children; records concurrency and can
 * fail a parent once. The first `together` wanted parents wait for each other before yielding.
 */
function makeConnector(source: {
  parents: number;
  children: number;
  failParent?: number;
  delayMs?: number;
  together?: number;
}) {
  const observed = { inFlight: 0, maxInFlight: 0, visited: [] as number[] };
  const together = source.together ? barrier(source.together) : undefined;
  const parents = defineToolTable()({
    entity: 'parents',
    columns: { id: key(column.bigint()), wanted: column.bool() },
  });
  const children = defineToolTable()({
    entity: 'children',
    columns: { parentId: key(column.bigint()), position: key(column.bigint()) },
    produces: ['issue_labels'],
    *convert(row) {
      yield domainRecord('issue_labels', { issue_id: `p:${row.parent_id}`, label_name: `c${row.position}` });
    },
  });
  const parentStream = defineStream({
    name: 'parents',
    tables: [parents],
    async *collect() {
      for (let id = 1; id <= source.parents; id += 1) yield { data: { id, wanted: id % 5 !== 0 } };
    },
  });
  const childStream = defineSubstream()({
    name: 'children',
    concurrency: 4,
    parent: { stream: 'parents', table: parents, filter: (row) => Boolean(row.wanted) },
    tables: [children],
    async *collect(_context, parent) {
      observed.inFlight += 1;
      observed.maxInFlight = Math.max(observed.maxInFlight, observed.inFlight);
      observed.visited.push(Number(parent.id));
      try {
        if (together && observed.visited.length <= source.together!) await together();
        await new Promise((resolve) => setTimeout(resolve, source.delayMs ?? (Number(parent.id) % 3) * 2));
        if (source.failParent === Number(parent.id)) {
          source.failParent = undefined;
          throw new Error(`parent ${parent.id} failed`);
        }
        for (let position = 0; position < source.children; position += 1)
          yield { data: { parentId: parent.id, position } };
      } finally {
        observed.inFlight -= 1;
      }
    },
  });
  const connector = defineConnector({
    contractVersion: '1.0.0',
    name: 'family',
    description: 'parents and children',
    domainTypes: ['TICKET'],
    connection: z.object({}),
    scope: { schema: z.object({ name: z.string() }), id: (scope) => scope.name, name: (scope) => scope.name },
    scopeConfig: z.object({}),
    testConnection: async () => ({ ok: true, message: 'ok' }),
    domainScopes: () => [],
    streams: [parentStream, childStream],
    migrations: {
      '0001': {
        async up(context) {
          await context.createToolTable('parents', { id: key(column.bigint()), wanted: column.bool() });
          await context.createToolTable('children', {
            parent_id: key(column.bigint()),
            position: key(column.bigint()),
          });
        },
      },
    },
  });
  return { connector, observed };
}

const context = { connection: { id: 1 }, scope: { name: 'home' }, options: { concurrency: 8 } };

describe('substreams', () => {
  it('visit every wanted parent once, no more than `concurrency` at a time', async () => {
    // The first four parents wait for each other: a runner that visited one parent at a time
    // would fail here, however fast or slow the machine.
    const { connector, observed } = makeConnector({ parents: 300, children: 3, together: 4 });
    const store = await openStore('sqlite::memory:');
    const result = await runSync({ connector, store, context });
    expect(result.status, result.error?.message).toBe('succeeded');
    expect(observed.maxInFlight).toBe(4);
    expect(observed.visited.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 300 }, (_, index) => index + 1).filter((id) => id % 5 !== 0),
    );
    expect(result.streams[1]!.records).toBe(240 * 3);
    await store.close();
  });

  it('a failing parent fails the stream; the next sync collects only the parents left', async () => {
    const clean = makeConnector({ parents: 120, children: 2 });
    const cleanStore = await openStore('sqlite::memory:');
    await runSync({ connector: clean.connector, store: cleanStore, context });
    const expected = await snapshotLake(cleanStore, 'family');

    const flaky = makeConnector({ parents: 120, children: 2, failParent: 61 });
    const store = await openStore('sqlite::memory:');
    const failed = await runSync({ connector: flaky.connector, store, context });
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toContain('parent 61 failed');
    const firstVisits = flaky.observed.visited.length;
    flaky.observed.visited.length = 0;
    const resumed = await runSync({ connector: flaky.connector, store, context });
    expect(resumed.status).toBe('succeeded');
    expect(resumed.streams[1]!.resumed).toBe(true);
    // Parents committed before the failure are not visited again.
    expect(flaky.observed.visited.length).toBeLessThan(96);
    expect(flaky.observed.visited.length + firstVisits).toBeGreaterThanOrEqual(96);
    expect(await snapshotLake(store, 'family')).toEqual(expected);
    await store.close();
    await cleanStore.close();
  });
});
