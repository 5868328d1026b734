import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeApi, startFakeApi } from '../../../../testkit/src/fake-api/fake-api.js';
import {
  graphqlConnection,
  paginateByCursor,
  paginateByLink,
  paginateByNextPageHeader,
  paginateByOffset,
} from '../../../../testkit/src/fake-api/pagination.js';
import { createApiClient } from '../api-client.js';
import { cursor } from './cursor.js';
import { graphqlCursor } from './graphql-cursor.js';
import { linkHeader, parseLinkHeader } from './link-header.js';
import { nextPageHeader } from './next-page-header.js';
import { offset } from './offset.js';
import { pageNumber } from './page-number.js';
import { type Page, paginate } from './paginate.js';
import type { PageCursor } from './pagination-strategy.js';

/** Loopback answers come within milliseconds; only a broken paginator gets near this. */
const eventually = { timeout: 30_000, interval: 2 };

const items = Array.from({ length: 237 }, (_, index) => ({ id: index + 1 }));
let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi();
  api.route('GET', '/link', (request) => paginateByLink(items, request));
  api.route('GET', '/numbered', (request) => {
    const page = Number(request.query.get('page'));
    const size = Number(request.query.get('per_page'));
    return { body: { total: items.length, data: items.slice((page - 1) * size, page * size) } };
  });
  api.route('GET', '/offset', (request) => paginateByOffset(items, request));
  api.route('GET', '/cursor', (request) => paginateByCursor(items, request));
  api.route('GET', '/gitlab', (request) => paginateByNextPageHeader(items, request));
  api.route('POST', '/graphql', (request) => {
    const { variables } = request.body as { variables: { after: string | null } };
    return { body: { data: { repository: { issues: graphqlConnection(items, variables.after, 40) } } } };
  });
});
afterAll(() => api.close());

async function collect<T>(
  pages: AsyncIterable<Page<T>>,
): Promise<{ ids: unknown[]; cursors: Array<PageCursor | undefined> }> {
  const ids: unknown[] = [];
  const cursors: Array<PageCursor | undefined> = [];
  for await (const page of pages) {
    ids.push(...page.items.map((item) => (item as { id: number }).id));
    cursors.push(page.next);
  }
  return { ids, cursors };
}

const all = items.map((item) => item.id);

describe('pagination strategies', () => {
  const client = () => createApiClient({ baseUrl: api.url });

  it('Link rel="next": every item once, in order; resumes from a checkpointed cursor', async () => {
    const { ids, cursors } = await collect(
      paginate(client(), { path: '/link', searchParams: { per_page: 50 } }, linkHeader()),
    );
    expect(ids).toEqual(all);
    expect(cursors).toHaveLength(5);
    expect(cursors.at(-1)).toBeUndefined();
    const resumed = await collect(
      paginate(client(), { path: '/link', searchParams: { per_page: 50 } }, linkHeader(), { resume: cursors[2] }),
    );
    expect(resumed.ids).toEqual(all.slice(150));
  });

  it('Link rel="last": fetches up to `concurrency` pages ahead, yielding in order whatever order they come back in', async () => {
    // Its own server, whose answers after the first page wait until the test lets them go, so
    // that the test, not the machine's speed, decides what is in flight.
    const held = await startFakeApi();
    const waiting: Array<() => void> = [];
    held.route('GET', '/link', (request) => {
      const answer = paginateByLink(items, request);
      if (request.query.get('page') === null) return answer;
      return new Promise((resolve) => waiting.push(() => resolve(answer)));
    });
    try {
      const client = createApiClient({ baseUrl: held.url });
      let finished = false;
      const collected = collect(
        paginate(client, { path: '/link', searchParams: { per_page: 10 } }, linkHeader(), { concurrency: 6 }),
      ).finally(() => {
        finished = true;
      });
      const inFlight: number[] = [];
      for (;;) {
        // Once every request the paginator sent has reached the server, what the server holds is
        // everything in flight. Answer the newest first: pages must still come out in order.
        await vi.waitFor(() => {
          expect(finished || (waiting.length > 0 && held.stats.requests === client.requests)).toBe(true);
        }, eventually);
        if (finished) break;
        expect(waiting.length).toBeLessThanOrEqual(6);
        inFlight.push(waiting.length);
        waiting.pop()!();
      }
      const { ids, cursors } = await collected;
      expect(ids).toEqual(all);
      expect(cursors).toHaveLength(24);
      expect(new Set(cursors.slice(0, -1)).size).toBe(23);
      // Pages 2–7 are asked for together as soon as the first page names the last; never more than six.
      expect(inFlight[0]).toBe(6);
      expect(inFlight).toHaveLength(23);
      expect(held.log).toHaveLength(24);
    } finally {
      await held.close();
    }
  });

  it('page numbers with a total, fetched ahead; and without one, until a short page', async () => {
    const withTotal = pageNumber<{ id: number }>({
      size: 25,
      items: (body: { data: unknown }) => body.data,
      total: (body: { total: number }) => body.total,
    });
    expect((await collect(paginate(client(), { path: '/numbered' }, withTotal, { concurrency: 4 }))).ids).toEqual(all);
    const withoutTotal = pageNumber({ size: 25, items: (body: { data: unknown }) => body.data });
    const { ids, cursors } = await collect(paginate(client(), { path: '/numbered' }, withoutTotal, { resume: 3 }));
    expect(ids).toEqual(all.slice(50));
    expect(cursors).toEqual([4, 5, 6, 7, 8, 9, 10, undefined]);
  });

  it('startAt/maxResults/total (Jira)', async () => {
    const { ids, cursors } = await collect(paginate(client(), { path: '/offset' }, offset({ size: 100 })));
    expect(ids).toEqual(all);
    expect(cursors).toEqual([100, 200, undefined]);
    expect(
      (await collect(paginate(client(), { path: '/offset' }, offset({ size: 60 }), { concurrency: 3, resume: 60 })))
        .ids,
    ).toEqual(all.slice(60));
  });

  it('a cursor in the body', async () => {
    const strategy = cursor({
      next: (body: { next_cursor: string | null }) => body.next_cursor,
      items: (body: { items: unknown }) => body.items,
    });
    const { ids, cursors } = await collect(paginate(client(), { path: '/cursor' }, strategy));
    expect(ids).toEqual(all);
    expect(cursors).toHaveLength(10);
    expect((await collect(paginate(client(), { path: '/cursor' }, strategy, { resume: cursors[0] }))).ids).toEqual(
      all.slice(25),
    );
  });

  it('X-Next-Page headers (GitLab), fetched ahead with X-Total-Pages', async () => {
    expect((await collect(paginate(client(), { path: '/gitlab' }, nextPageHeader({ size: 40 })))).ids).toEqual(all);
    expect(
      (await collect(paginate(client(), { path: '/gitlab' }, nextPageHeader({ size: 40 }), { concurrency: 3 }))).ids,
    ).toEqual(all);
  });

  it('GraphQL pageInfo { hasNextPage endCursor }', async () => {
    const strategy = graphqlCursor<{ id: number }>({
      query:
        'query($after: String) { repository { issues(first: 40, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }',
      connection: (data: { repository: { issues: never } }) => data.repository.issues,
    });
    const pages: Page<{ id: number }>[] = [];
    for await (const page of paginate(client(), strategy.request, strategy)) pages.push(page);
    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(all);
    expect(pages[0]!.total).toBe(237);
    const resumed = await collect(paginate(client(), strategy.request, strategy, { resume: pages[1]!.next }));
    expect(resumed.ids).toEqual(all.slice(80));
  });

  it('parses Link headers with several relations', () => {
    expect(
      parseLinkHeader(
        '<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last", <https://a/x?page=1>; rel="prev first"',
      ),
    ).toEqual({
      next: 'https://a/x?page=2',
      last: 'https://a/x?page=9',
      prev: 'https://a/x?page=1',
      first: 'https://a/x?page=1',
    });
    expect(parseLinkHeader(undefined)).toEqual({});
  });
});
