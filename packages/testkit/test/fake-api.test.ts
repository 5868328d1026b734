import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type FakeApi,
  graphqlConnection,
  paginateByCursor,
  paginateByLink,
  paginateByNextPageHeader,
  paginateByOffset,
  startFakeApi,
} from '../src/index.js';

let api: FakeApi;
afterEach(() => api.close());

/** Loopback answers come within milliseconds; only a broken server gets near this. */
const eventually = { timeout: 30_000, interval: 2 };
/**
 * Long enough that a quick request on a busy machine is answered well within it: delays are
 * checked by what happens meanwhile, never by the clock.
 */
const LONG_DELAY_MS = 2_000;

const get = (path: string, token?: string) =>
  fetch(`${api.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('the fake API', () => {
  it('routes by method and path pattern, passing parameters, query, token and JSON body', async () => {
    api = await startFakeApi();
    api.route('GET', '/repos/:owner/:repo', (request) => ({
      body: { ...request.params, q: request.query.get('q'), token: request.token },
    }));
    api.route('POST', '/echo', (request) => ({ status: 201, headers: { 'x-echo': 'yes' }, body: request.body }));
    expect(await (await get('/repos/octo/widgets?q=1', 'abc')).json()).toEqual({
      owner: 'octo',
      repo: 'widgets',
      q: '1',
      token: 'abc',
    });
    const posted = await fetch(`${api.url}/echo`, { method: 'POST', body: JSON.stringify({ a: 1 }) });
    expect([posted.status, posted.headers.get('x-echo'), await posted.json()]).toEqual([201, 'yes', { a: 1 }]);
    const text = await fetch(`${api.url}/echo`, { method: 'POST', body: 'plain' });
    expect(await text.json()).toBe('plain');
    expect((await get('/nowhere')).status).toBe(404);
    api.route('GET', '/broken', () => {
      throw new Error('handler bug');
    });
    expect(await (await get('/broken')).json()).toEqual({ message: 'fake API handler failed: handler bug' });
    expect(api.requestsTo('/repos')).toHaveLength(1);
    expect(api.requestsTo(/echo/)).toHaveLength(2);
    expect(api.stats.requests).toBe(5);
  });

  it('injects faults on matching requests, after some, a number of times', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', () => ({ body: { items: [1, 2, 3, 4, 5, 6] } }));
    api.fault({ match: { method: 'GET', path: '/things' }, after: 1, times: 2, kind: { type: 'status', status: 503 } });
    api.fault({ match: { path: /things/ }, times: 1, kind: { type: 'rate-limit', retryAfterSeconds: 3 } });
    const statuses = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await get('/things')).status);
    // The first request passes the 503 fault (after: 1) and meets the rate-limit fault instead.
    expect(statuses).toEqual([429, 503, 503, 200, 200]);
    expect(api.log.map((record) => record.fault)).toEqual(['rate-limit', 'status', 'status', undefined, undefined]);
    api.fault({ kind: { type: 'truncate' } });
    const truncated = await (await get('/things')).text();
    expect(() => JSON.parse(truncated)).toThrow();
    api.fault({ kind: { type: 'reset' } });
    await expect(get('/things')).rejects.toThrow();
    // A slow answer is still pending after a request sent later has been answered.
    api.fault({ kind: { type: 'slow', delayMs: LONG_DELAY_MS } });
    const arrived = api.stats.requests;
    const slow = get('/things');
    await vi.waitFor(() => expect(api.stats.requests).toBe(arrived + 1), eventually);
    expect((await get('/things')).status).toBe(200);
    expect(api.stats.inFlight).toBe(1);
    expect((await slow).status).toBe(200);
    expect(api.log.at(-1)!.fault).toBe('slow');
    api.fault({ kind: { type: 'status', status: 500 } });
    api.clearFaults();
    expect((await get('/things')).status).toBe(200);
  });

  it('keeps a quota per token with GitHub’s headers, and rejects tokens it does not accept', async () => {
    api = await startFakeApi();
    api.rateLimit({ limit: 2, windowMs: 60_000 }).requireToken((token) => token !== 'revoked');
    api.route('GET', '/things', () => ({ body: [] }));
    const first = await get('/things', 'one');
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
    await get('/things', 'one');
    const third = await get('/things', 'one');
    expect(third.status).toBe(403);
    expect(((await third.json()) as { message: string }).message).toMatch(/rate limit exceeded/);
    expect((await get('/things', 'two')).status).toBe(200);
    expect((await get('/things', 'revoked')).status).toBe(401);
  });

  it('records how many requests were in flight at once', async () => {
    api = await startFakeApi();
    // Nothing is answered until the third request has arrived: three were in flight together.
    const waiting: Array<() => void> = [];
    api.route('GET', '/things', () => {
      const answer = new Promise<{ body: unknown[] }>((resolve) => waiting.push(() => resolve({ body: [] })));
      if (waiting.length === 3) for (const release of waiting) release();
      return answer;
    });
    await Promise.all([get('/things'), get('/things'), get('/things')]);
    expect(api.stats.peakInFlight).toBe(3);
    expect(api.stats.inFlight).toBe(0);
  });

  it('adds latency to every answer', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', () => ({ body: [] }));
    api.latencyMs = LONG_DELAY_MS;
    const late = get('/things');
    await vi.waitFor(() => expect(api.stats.requests).toBe(1), eventually);
    // Another server answers meanwhile; this one is still waiting.
    const other = await startFakeApi();
    try {
      other.route('GET', '/things', () => ({ body: [] }));
      expect((await fetch(`${other.url}/things`)).status).toBe(200);
      expect(api.stats.inFlight).toBe(1);
    } finally {
      await other.close();
    }
    expect((await late).status).toBe(200);
    expect(api.stats.inFlight).toBe(0);
  });

  it('serves pages as GitHub, Jira, GitLab, cursor APIs and GraphQL do', async () => {
    api = await startFakeApi();
    const items = Array.from({ length: 45 }, (_, index) => index + 1);
    api.route('GET', '/link', (request) => paginateByLink(items, request));
    api.route('GET', '/offset', (request) => paginateByOffset(items, request, 'issues'));
    api.route('GET', '/gitlab', (request) => paginateByNextPageHeader(items, request));
    api.route('GET', '/cursor', (request) => paginateByCursor(items, request, 20));
    const link = await get('/link?per_page=20&page=2');
    expect(await link.json()).toEqual(items.slice(20, 40));
    expect(link.headers.get('link')).toMatch(
      /page=3>; rel="next", <.*page=3>; rel="last", <.*page=1>; rel="first", <.*page=1>; rel="prev"/,
    );
    expect((await get('/link')).headers.get('link')).toMatch(/per_page=30&page=2>; rel="next"/);
    expect(await (await get('/offset?startAt=40&maxResults=10')).json()).toEqual({
      startAt: 40,
      maxResults: 10,
      total: 45,
      issues: [41, 42, 43, 44, 45],
    });
    const gitlab = await get('/gitlab?per_page=20&page=3');
    expect([gitlab.headers.get('x-next-page'), gitlab.headers.get('x-total-pages'), await gitlab.json()]).toEqual([
      '',
      '3',
      [41, 42, 43, 44, 45],
    ]);
    const cursor = (await (await get('/cursor')).json()) as { items: number[]; next_cursor: string };
    expect(cursor.items).toEqual(items.slice(0, 20));
    expect(((await (await get(`/cursor?cursor=${cursor.next_cursor}`)).json()) as { items: number[] }).items).toEqual(
      items.slice(20, 40),
    );
    const connection = graphqlConnection(items, null, 40);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(graphqlConnection(items, connection.pageInfo.endCursor, 40).nodes).toEqual([41, 42, 43, 44, 45]);
  });
});
