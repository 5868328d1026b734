import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeApi, type FakeRequest, startFakeApi } from '../../../testkit/src/fake-api/fake-api.js';
import { paginateByLink, paginateByOffset } from '../../../testkit/src/fake-api/pagination.js';
import { defineConnector } from '../contract/define-connector.js';
import type { AnyStream } from '../contract/stream.js';
import { defineToolTable } from '../contract/tool-table.js';
import { column, key } from '../domain/columns.js';
import { extractRow } from '../engine/default-extractor.js';
import { loadState } from '../engine/state-store.js';
import { runSync } from '../engine/sync.js';
import { fast } from '../http/__fixtures__/api-test-helpers.js';
import { type ApiClient, createApiClient } from '../http/api-client.js';
import { linkHeader } from '../http/pagination/link-header.js';
import { offset } from '../http/pagination/offset.js';
import { RequestBudget } from '../http/request-budget.js';
import { z } from '../index.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { defineRestStream, defineRestSubstream } from './define-rest-stream.js';
import type { RestStreamState } from './rest-listing.js';

type Types = {
  connection: { id: number };
  scope: { name: string };
  scopeConfig: { project?: string; timeZone?: string };
  client: ApiClient;
};

const itemColumns = {
  id: key(column.bigint()),
  title: column.text(),
  changedAt: { ...column.text(), source: '/updatedAt' },
};
const itemsTable = defineToolTable<Types>()({ entity: 'items', columns: itemColumns, produces: [] });
const childColumns = { parentId: key(column.bigint()), id: key(column.bigint()), title: column.text() };
const childrenTable = defineToolTable<Types>()({ entity: 'children', columns: childColumns, produces: [] });

// #region jira-issues
/** A Jira-like issue search: offset pages, and a JQL bound written in the user's zone, to the minute. */
const issuesStream = defineRestStream<Types>({
  name: 'items',
  tables: [itemsTable],
  path: '/search',
  searchParams: (context) => ({ jql: `project = ${context.scopeConfig.project}` }),
  paginator: offset({ size: 10 }),
  records: '/issues',
  cursor: {
    field: '/fields/updated',
    lookback: '1m',
    format: 'yyyy-MM-dd HH:mm',
    precision: 'minute',
    timeZone: (context) => context.scopeConfig.timeZone ?? 'UTC',
    param: (bound, context) => ({ jql: `project = ${context.scopeConfig.project} AND updated >= "${bound}"` }),
  },
});
// #endregion jira-issues

let api: FakeApi;
let database: ScratchDatabase | undefined;
let store: Store;

function connector(streams: AnyStream<Types>[], budgets: Record<string, RequestBudget> = {}) {
  return defineConnector({
    contractVersion: '1.0.0',
    name: 'resty',
    description: 'a paginated JSON API',
    domainTypes: ['CROSS'],
    connection: z.object({}),
    scope: { schema: z.object({ name: z.string() }), id: (scope) => scope.name, name: (scope) => scope.name },
    scopeConfig: z.object({ project: z.string().optional(), timeZone: z.string().optional() }),
    client: () => createApiClient({ baseUrl: api.url, retry: { ...fast, limit: 1 }, budgets }),
    testConnection: async () => ({ ok: true, message: 'ok' }),
    domainScopes: () => [],
    streams,
    migrations: {
      '0001-tables': {
        up: async (context) => {
          await context.createToolTable('items', {
            id: itemColumns.id,
            title: column.text(),
            changed_at: column.text(),
          });
          await context.createToolTable('children', {
            parent_id: key(column.bigint()),
            id: key(column.bigint()),
            title: column.text(),
          });
        },
      },
    },
  });
}

const sync = (
  streams: AnyStream<Types>[],
  scopeConfig: Types['scopeConfig'] = {},
  budgets: Record<string, RequestBudget> = {},
) =>
  runSync({
    connector: connector(streams, budgets),
    store,
    context: { connection: { id: 1 }, scope: { name: 'all' }, scopeConfig, options: { batchSize: 4 } },
    logSink: process.env.REST_TEST_LOG ? (entry) => console.log(JSON.stringify(entry)) : undefined,
  });

const ids = async (table: string) =>
  (
    await store.db
      .selectFrom(table as never)
      .select('id' as never)
      .execute()
  )
    .map((row) => Number((row as { id: unknown }).id))
    .sort((a, b) => a - b);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const item = (id: number, updatedAt = '2026-01-01T00:00:00Z') => ({ id, title: `item ${id}`, updatedAt });

beforeEach(async () => {
  api = await startFakeApi();
  database = await createScratchDatabase('sqlite');
  store = await openStore(database.url);
});

afterEach(async () => {
  await store.close();
  await database?.drop();
  await api.close();
});

describe('declarative REST streams', () => {
  it('reads the records at the pointer on every page; a substream hands extract its typed input', async () => {
    const items = range(1, 7).map((id) => item(id));
    api.route('GET', '/items', (request) => {
      const page = paginateByLink(items, request);
      return { ...page, body: { data: page.body } };
    });
    api.route('GET', '/items/:id/children', (request) =>
      paginateByOffset(
        range(1, 3).map((id) => ({ id, title: `child ${id} of ${request.params.id}` })),
        request,
      ),
    );
    const itemsStream = defineRestStream<Types>({
      name: 'items',
      tables: [itemsTable],
      path: '/items',
      searchParams: { per_page: 3 },
      paginator: linkHeader(),
      records: '/data',
    });
    const childrenStream = defineRestSubstream<Types>()({
      name: 'children',
      parent: { stream: itemsStream, table: itemsTable },
      tables: [childrenTable],
      path: (_context, parent) => `/items/${parent.id}/children`,
      paginator: offset({ size: 2 }),
      records: '/values',
      input: (parent) => ({ parentId: Number(parent.id) }),
      extract(child, context) {
        const parentId: number = context.input.parentId;
        return extractRow(childrenTable, child, { parentId });
      },
    });
    const result = await sync([itemsStream, childrenStream]);
    expect(result.status).toBe('succeeded');
    expect(await ids('_tool_resty_items')).toEqual(range(1, 7));
    const children = await store.db.selectFrom('_tool_resty_children').select(['parent_id', 'id']).execute();
    expect(children).toHaveLength(21);
    expect(new Set(children.map((row) => Number(row.parent_id)))).toEqual(new Set(range(1, 7)));
  });

  describe('offset pagination resumed, and a JQL bound in a time zone', () => {
    const issue = (id: number, updated = '2026-01-01T00:00:00Z') => ({ ...item(id), fields: { updated } });
    const listings: Record<string, ReturnType<typeof issue>[]> = {
      A: range(1, 30).map((id) => issue(id)),
      B: range(101, 130).map((id) => issue(id)),
    };
    let broken = false;
    beforeEach(() => {
      broken = false;
      api.route('GET', '/search', (request: FakeRequest) => {
        if (broken && Number(request.query.get('startAt')) >= 20) return { status: 400, body: { message: 'gone' } };
        const project = /project = (\w+)/.exec(request.query.get('jql') ?? '')?.[1] ?? '';
        return paginateByOffset(listings[project] ?? [], request, 'issues');
      });
    });
    const asked = (from: number, name: string) =>
      api.log.slice(from).map((request) => new URLSearchParams(request.query).get(name));

    it('an offset saved by an interrupted run is not applied to another query: that one starts at 0', async () => {
      broken = true;
      expect((await sync([issuesStream], { project: 'A' })).status).toBe('failed');
      broken = false;
      const before = api.log.length;
      const result = await sync([issuesStream], { project: 'B' });
      expect(result.status).toBe('succeeded');
      expect(asked(before, 'startAt')[0]).toBe('0');
      // (What the interrupted run stored of A stays: the resumed run keeps that run's start.)
      expect((await ids('_tool_resty_items')).filter((id) => id > 100)).toEqual(range(101, 130));
    });

    it('the same query resumes at its saved offset and loses nothing, whatever order the server lists in', async () => {
      api.setHostility({ order: 'shuffled', duplicateAcrossPages: true });
      broken = true;
      expect((await sync([issuesStream], { project: 'A' })).status).toBe('failed');
      const saved = (await loadState(store, {
        connector: 'resty',
        connectionId: 1,
        scopeId: 'all',
        stream: 'items',
      })) as { cursor: RestStreamState };
      const page = saved.cursor.run?.page;
      expect(page).toBeGreaterThanOrEqual(20);
      broken = false;
      const before = api.log.length;
      expect((await sync([issuesStream], { project: 'A' })).status).toBe('succeeded');
      expect(asked(before, 'startAt')[0]).toBe(String(page));
      expect(await ids('_tool_resty_items')).toEqual(range(1, 30));
    });

    it("the next run asks JQL for the minute of the newest change, less the lookback, in the user's zone", async () => {
      // 03:00:30 CEST, just after Berlin skipped 02:00–02:59.
      listings.A = [issue(1, '2026-03-29T00:40:00Z'), issue(2, '2026-03-29T01:00:30Z')];
      const config = { project: 'A', timeZone: 'Europe/Berlin' };
      expect((await sync([issuesStream], config)).status).toBe('succeeded');
      expect(asked(0, 'jql')[0]).toBe('project = A');
      const before = api.log.length;
      expect((await sync([issuesStream], config)).status).toBe('succeeded');
      // Less a minute is 01:59:30 CET: the minute it falls in.
      expect(asked(before, 'jql')[0]).toBe('project = A AND updated >= "2026-03-29 01:59"');
    });
  });

  it('an incremental cursor moves to the newest change read, and the next run asks from it less the lookback', async () => {
    const items = range(1, 9).map((id) => item(id, new Date(Date.UTC(2026, 0, 1, id)).toISOString()));
    api.setHostility({ order: 'reversed' });
    api.route('GET', '/changes', (request) => {
      const since = request.query.get('since');
      return paginateByLink(
        items.filter((entry) => since === null || Date.parse(entry.updatedAt) >= Date.parse(since)),
        request,
      );
    });
    const changes = defineRestStream<Types>({
      name: 'items',
      tables: [itemsTable],
      path: '/changes',
      searchParams: { per_page: 2 },
      paginator: linkHeader(),
      cursor: { field: '/updatedAt', param: 'since', lookback: '90m' },
    });
    expect((await sync([changes])).status).toBe('succeeded');
    expect(await ids('_tool_resty_items')).toEqual(range(1, 9));
    const before = api.log.length;
    expect((await sync([changes])).status).toBe('succeeded');
    const asked = new URLSearchParams(api.log[before]!.query).get('since');
    // The newest change is 09:00; 90 minutes before it is 07:30.
    expect(asked).toBe('2026-01-01T07:30:00Z');
  });

  it('looks its parameters and its bound up when they are functions that answer later', async () => {
    const items = range(1, 5).map((id) => item(id, new Date(Date.UTC(2026, 0, 1, id)).toISOString()));
    api.route('GET', '/search', (request) => {
      const [, filter, since] =
        /^filter = (\d+)(?: AND updated >= "(.+)")?$/.exec(request.query.get('jql') ?? '') ?? [];
      if (filter !== '42') return { status: 400, body: { message: `no filter in ${request.query.get('jql')}` } };
      return paginateByOffset(
        items.filter((entry) => since === undefined || Date.parse(entry.updatedAt) >= Date.parse(since)),
        request,
        'issues',
      );
    });
    // As Jira's board filter: found by a request of its own, before the listing is asked.
    const filterOf = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return '42';
    };
    const search = defineRestStream<Types>({
      name: 'items',
      tables: [itemsTable],
      path: '/search',
      searchParams: async () => ({ jql: `filter = ${await filterOf()}` }),
      paginator: offset({ size: 2 }),
      records: '/issues',
      cursor: {
        field: '/updatedAt',
        param: async (bound) => ({ jql: `filter = ${await filterOf()} AND updated >= "${bound}"` }),
        lookback: '1h',
      },
    });
    expect((await sync([search])).status).toBe('succeeded');
    expect(await ids('_tool_resty_items')).toEqual(range(1, 5));
    const before = api.log.length;
    expect((await sync([search])).status).toBe('succeeded');
    expect(new URLSearchParams(api.log[before]!.query).get('jql')).toBe(
      'filter = 42 AND updated >= "2026-01-01T04:00:00Z"',
    );
  });

  it('records the lookback reads again are stored again only when they changed', async () => {
    const items = range(1, 9).map((id) => item(id, new Date(Date.UTC(2026, 0, 1, id)).toISOString()));
    api.route('GET', '/changes', (request) => {
      const since = request.query.get('since');
      return paginateByLink(
        items.filter((entry) => since === null || Date.parse(entry.updatedAt) >= Date.parse(since)),
        request,
      );
    });
    const changes = defineRestStream<Types>({
      name: 'items',
      tables: [itemsTable],
      path: '/changes',
      searchParams: { per_page: 2 },
      paginator: linkHeader(),
      cursor: { field: '/updatedAt', param: 'since', lookback: '90m' },
    });
    const raw = async () =>
      Number(
        (
          await store.db
            .selectFrom('_raw_resty_items')
            .select((b) => b.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect((await sync([changes])).status).toBe('succeeded');
    expect(await raw()).toBe(9);
    // The next run asks from 07:30 and meets items 8 and 9 again, unchanged: nothing new is stored.
    expect((await sync([changes])).status).toBe('succeeded');
    expect(await raw()).toBe(9);
    // Item 9 changes: read again and stored again; item 8, met again unchanged, is not.
    items[8] = { ...items[8]!, title: 'changed', updatedAt: '2026-01-01T10:00:00.000Z' };
    expect((await sync([changes])).status).toBe('succeeded');
    expect(await raw()).toBe(10);
    const [row] = await store.db.selectFrom('_tool_resty_items').select('title').where('id', '=', 9).execute();
    expect(row?.title).toBe('changed');
  });

  it('a listing that changed while it was read is read again: a row shifted to an earlier page is not lost', async () => {
    const items = range(1, 6).map((id) => item(id, new Date(Date.UTC(2026, 0, 1, id)).toISOString()));
    let moved = false;
    api.route('GET', '/changes', (request) => {
      if (request.query.get('page') === '2' && !moved) {
        // Item 1, already read on page 1, changes now: it moves to the end, and item 3 moves up to page 1.
        moved = true;
        items.push({ ...items.shift()!, updatedAt: new Date().toISOString() });
      }
      return paginateByLink(items, request);
    });
    const changes = defineRestStream<Types>({
      name: 'items',
      tables: [itemsTable],
      path: '/changes',
      searchParams: { per_page: 2 },
      paginator: linkHeader(),
      cursor: { field: '/updatedAt', param: 'since' },
    });
    expect((await sync([changes])).status).toBe('succeeded');
    expect(moved).toBe(true);
    expect(await ids('_tool_resty_items')).toEqual(range(1, 6));
  });

  it('an incremental substream asks the parents of its next pass for what changed since the last pass', async () => {
    const parents = range(1, 2).map((id) => item(id));
    api.route('GET', '/items', (request) => paginateByLink(parents, request));
    api.route('GET', '/items/:id/children', (request) =>
      paginateByLink([{ id: 1, title: `child of ${request.params.id}` }], request),
    );
    const itemsStream = defineRestStream<Types>({
      name: 'items',
      tables: [itemsTable],
      path: '/items',
      paginator: linkHeader(),
    });
    const childrenStream = defineRestSubstream<Types>()({
      name: 'children',
      incremental: true,
      parent: { stream: itemsStream, table: itemsTable },
      tables: [childrenTable],
      path: (_context, parent) => `/items/${parent.id}/children`,
      paginator: linkHeader(),
      since: { param: 'since', lookback: '1m' },
      input: (parent) => ({ parentId: Number(parent.id) }),
      extract: (child, context) => extractRow(childrenTable, child, context.input),
    });
    expect((await sync([itemsStream, childrenStream])).status).toBe('succeeded');
    const childRequests = (from: number) => api.log.slice(from).filter((request) => request.path.endsWith('/children'));
    expect(childRequests(0).map((request) => new URLSearchParams(request.query).get('since'))).toEqual([null, null]);
    parents[1] = { ...parents[1]!, title: 'renamed' };
    const before = api.log.length;
    expect((await sync([itemsStream, childrenStream])).status).toBe('succeeded');
    const second = childRequests(before);
    expect(second.map((request) => request.path)).toContain('/items/2/children');
    for (const request of second)
      expect(new URLSearchParams(request.query).get('since')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('counts every request of a stream and its substream, next pages included, against their named budget', async () => {
    const items = range(1, 5).map((id) => item(id));
    api.route('GET', '/limited', (request) => paginateByLink(items, request));
    api.route('GET', '/limited/:id/children', (request) =>
      paginateByLink(
        range(1, 3).map((id) => ({ id, title: `child ${id}` })),
        request,
      ),
    );
    const limited = defineRestStream<Types>({
      name: 'items',
      tables: [itemsTable],
      path: '/limited',
      searchParams: { per_page: 2 },
      paginator: linkHeader(),
      budget: 'limited',
    });
    const children = defineRestSubstream<Types>()({
      name: 'children',
      parent: { stream: limited, table: itemsTable },
      tables: [childrenTable],
      path: (_context, parent) => `/limited/${parent.id}/children`,
      searchParams: { per_page: 2 },
      paginator: linkHeader(),
      budget: 'limited',
      input: (parent) => ({ parentId: Number(parent.id) }),
      extract: (child, context) => extractRow(childrenTable, child, context.input),
    });
    const budget = new RequestBudget({ maxInFlight: 2 });
    expect((await sync([limited, children], {}, { limited: budget })).status).toBe('succeeded');
    // 5 items at 2 a page: 3 pages; 3 children each at 2 a page: 2 pages for each of 5 items.
    expect(api.log).toHaveLength(3 + 5 * 2);
    expect(budget.started).toBe(api.log.length);
  });

  it('rejects a records pointer that is not one, naming the field', () => {
    expect(() =>
      defineRestStream<Types>({
        name: 'items',
        tables: [itemsTable],
        path: '/items',
        paginator: linkHeader(),
        records: 'data',
      }),
    ).toThrow(/stream "items": records must be a JSON pointer/);
  });
});
