import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeApi, startFakeApi } from '../../../testkit/src/fake-api/fake-api.js';
import { Secret } from '../secrets/secret.js';
import { eventually, failure, fast, holdAnswers, ietfQuota } from './__fixtures__/api-test-helpers.js';
import { createApiClient } from './api-client.js';
import { readRateLimit } from './rate-limit-headers.js';
import { RequestBudget } from './request-budget.js';

let api: FakeApi;
afterEach(async () => {
  await api?.close();
});

describe('the API client', () => {
  it('sends auth, user agent and query parameters to a base URL with a path (GitHub Enterprise)', async () => {
    api = await startFakeApi();
    let seen: Record<string, unknown> = {};
    api.route('GET', '/api/v3/user', (request) => {
      seen = { token: request.token, agent: request.headers['user-agent'], q: request.query.get('q') };
      return { body: { login: 'octocat' } };
    });
    const client = createApiClient({
      baseUrl: `${api.url}/api/v3/`,
      auth: { type: 'token', token: new Secret('ghp_abc123') },
      source: 'github',
    });
    const response = await client.get<{ login: string }>('/user', { searchParams: { q: 'x', skip: undefined } });
    expect(response.body.login).toBe('octocat');
    expect(seen).toEqual({ token: 'ghp_abc123', agent: 'lake/github', q: 'x' });
  });

  it('retries a burst of 502s, a reset connection and a truncated body, then succeeds', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', () => ({ body: { items: [1, 2, 3] } }));
    api.fault({ times: 3, kind: { type: 'status', status: 502 } });
    api.fault({ times: 1, kind: { type: 'reset' } });
    api.fault({ times: 1, kind: { type: 'truncate' } });
    const client = createApiClient({ baseUrl: api.url, retry: fast });
    const response = await client.get<{ items: number[] }>('/things');
    expect(response.body.items).toEqual([1, 2, 3]);
    expect(api.log.map((record) => record.fault ?? record.status)).toEqual([
      'status',
      'status',
      'status',
      'reset',
      'truncate',
      200,
    ]);
  });

  it('gives up after the retry limit with the status, URL, body excerpt and attempts, secrets redacted', async () => {
    api = await startFakeApi();
    api.fault({ times: 10, kind: { type: 'status', status: 503, body: { message: 'down for token s3cr3t-value' } } });
    const client = createApiClient({
      baseUrl: api.url,
      retry: { ...fast, limit: 2 },
      auth: { type: 'bearer', token: 's3cr3t-value' },
      source: 'demo',
    });
    const error = await failure(client.get('/things', { searchParams: { access_token: 'leaky-token' } }));
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(3);
    expect(error.message).toMatch(
      /^\[lake\] \[demo\] GET http:\/\/127\.0\.0\.1:\d+\/things\?access_token=\[redacted\] → 503: down for token \[redacted\] \(after 3 attempts\)$/,
    );
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toMatch(/s3cr3t-value|leaky-token/);
    const truncated = await startFakeApi();
    try {
      truncated.route('GET', '/broken', () => ({ body: { a: 'b'.repeat(100) } }));
      truncated.fault({ times: 10, kind: { type: 'truncate' } });
      const broken = await failure(
        createApiClient({ baseUrl: truncated.url, retry: { ...fast, limit: 1 } }).get('/broken'),
      );
      expect(broken.code).toBe('HTTP_INVALID_BODY');
      expect(broken.message).toMatch(/not valid JSON/);
    } finally {
      await truncated.close();
    }
  });

  it('honours Retry-After on a 429', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', () => ({ body: [] }));
    api.fault({ kind: { type: 'rate-limit', status: 429, retryAfterSeconds: 1 } });
    const client = createApiClient({ baseUrl: api.url, retry: fast });
    await client.get('/things');
    const [limited, retried] = api.log;
    expect(limited!.status).toBe(429);
    expect(retried!.startedAt - limited!.finishedAt).toBeGreaterThanOrEqual(950);
  });

  it('waits for the quota to reset when the only token runs out (IETF RateLimit fields)', async () => {
    api = await startFakeApi();
    const quota = ietfQuota(api, '/things', { limit: 2, windowMs: 1500 });
    const remaining: Array<number | undefined> = [];
    const client = createApiClient({
      baseUrl: api.url,
      auth: { type: 'token', token: 'only-token' },
      retry: fast,
      hooks: {
        afterResponse: [
          (response) => {
            remaining.push(readRateLimit(response.headers).remaining);
            return response;
          },
        ],
      },
    });
    // Spend the quota (on a slow machine a window may end between two requests: keep going
    // until an answer says none is left), then ask once more.
    while (remaining.at(-1) !== 0) {
      await client.get('/things');
      expect(remaining.length).toBeLessThan(20);
    }
    const spentWindowEnds = quota.resetAt('only-token');
    await client.get('/things');
    // The client learnt from RateLimit-Remaining: 0 and waited for the reset it was given
    // instead of sending into a 429.
    expect(api.log.map((record) => record.status)).toEqual(remaining.map(() => 200));
    expect(api.log.at(-1)!.startedAt).toBeGreaterThanOrEqual(spentWindowEnds);
  });

  it('rotates a pool of tokens: spent tokens rest, rejected ones are dropped', async () => {
    api = await startFakeApi();
    api.requireToken((token) => token !== 'revoked');
    ietfQuota(api, '/things', { limit: 3, windowMs: 60 * 60_000 });
    const client = createApiClient({
      baseUrl: api.url,
      auth: { type: 'pool', tokens: ['alpha', 'revoked', new Secret('gamma')] },
      // The quota window is an hour: waiting for it must exceed the limit however slowly the
      // requests before went (with the default hour, a second lost would make it a wait).
      retry: { ...fast, maxRateLimitWaitMs: 60_000 },
    });
    for (let index = 0; index < 6; index += 1) await client.get('/things');
    const byToken = (token: string) =>
      api.log.filter((record) => record.token === token && record.status === 200).length;
    expect([byToken('alpha'), byToken('gamma')]).toEqual([3, 3]);
    expect(api.log.filter((record) => record.token === 'revoked').map((record) => record.status)).toEqual([401]);
    const exhausted = await failure(client.get('/things'));
    expect(exhausted.code).toBe('HTTP_RATE_LIMITED');
    // Spent tokens rested: nothing was sent into a 429.
    expect(api.log.filter((record) => record.status === 429)).toEqual([]);
  });

  it('fails clearly on a rejected single token, and refreshes a provider’s token once', async () => {
    api = await startFakeApi();
    api.requireToken((token) => token === 'fresh').route('GET', '/user', () => ({ body: { login: 'me' } }));
    const rejected = await failure(
      createApiClient({ baseUrl: api.url, auth: { type: 'bearer', token: 'stale' } }).get('/user'),
    );
    expect(rejected.code).toBe('HTTP_AUTH');
    expect(rejected.message).toContain('credentials rejected: Bad credentials');
    const refreshes: boolean[] = [];
    const client = createApiClient({
      baseUrl: api.url,
      auth: {
        type: 'provider',
        provider: {
          async headers({ refresh }) {
            refreshes.push(refresh);
            return { authorization: `Bearer ${refresh ? 'fresh' : 'stale'}` };
          },
        },
      },
    });
    expect((await client.get<{ login: string }>('/user')).body.login).toBe('me');
    expect(refreshes).toEqual([false, true]);
  });

  it('a 429 with Retry-After pauses every request of the budget', async () => {
    api = await startFakeApi();
    const { held, letAllThrough } = holdAnswers(api, '/things/:id');
    // The third request to arrive is limited; the other answers wait until the test lets them go.
    api.fault({
      after: 2,
      kind: { type: 'rate-limit', status: 429, retryAfterSeconds: 1, message: 'Too Many Requests' },
    });
    const client = createApiClient({ baseUrl: api.url, retry: fast, budget: { maxInFlight: 4 } });
    const all = Promise.all(Array.from({ length: 8 }, (_, index) => client.get(`/things/${index}`)));
    // Requests 0–3 take the four slots; nothing is answered but the 429 until three are held, so
    // requests 4–7 can only get a slot after the client has seen the 429.
    await vi.waitFor(() => {
      expect(held).toHaveLength(3);
      expect(api.log.map((record) => record.fault)).toEqual(['rate-limit']);
    }, eventually);
    letAllThrough();
    await all;
    const limited = api.log.find((record) => record.fault === 'rate-limit')!;
    const retried = api.log.filter((record) => record !== limited && record.path === limited.path);
    const queued = api.log.filter((record) => Number(record.path.split('/').at(-1)) >= 4);
    // Everything that got its slot after the 429 waited out the pause: the retry and all of 4–7.
    expect(queued).toHaveLength(4);
    for (const record of [...retried, ...queued])
      expect(record.startedAt - limited.finishedAt, record.path).toBeGreaterThanOrEqual(1000);
    expect(api.log.filter((record) => record.status === 200)).toHaveLength(8);
  });

  it('a rate limit longer than the policy waits fails its request without pausing the others for it', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', () => ({ body: { ok: true } }));
    api.fault({ kind: { type: 'rate-limit', status: 429, retryAfterSeconds: 3600, message: 'Come back in an hour' } });
    const client = createApiClient({ baseUrl: api.url, retry: { ...fast, maxRateLimitWaitMs: 60_000 } });
    const limited = await failure(client.get('/things'));
    expect(limited.code).toBe('HTTP_RATE_LIMITED');
    expect(limited.message).toMatch(
      /→ 429: rate limited \(Come back in an hour\); waiting 3600 s more exceeds the limit of 60 s/,
    );
    // Nobody waits out an hour-long pause that the request which met it gave up on.
    expect((await client.get<{ ok: boolean }>('/things')).body.ok).toBe(true);
  });

  it('never has more requests in flight than the budget allows, however the clients share it', async () => {
    api = await startFakeApi();
    const { held } = holdAnswers(api, '/things/:id');
    const budget = new RequestBudget({ maxInFlight: 3 });
    const first = createApiClient({ baseUrl: api.url, budget });
    const second = createApiClient({ baseUrl: api.url, budget });
    const all = Promise.all(
      Array.from({ length: 30 }, (_, index) => (index % 2 ? first : second).get(`/things/${index}`)),
    );
    const heldAtOnce: number[] = [];
    for (let answered = 0; answered < 30; answered += 1) {
      // Once every request the budget let go has reached the server, what the server holds is
      // everything in flight; answer one of them, and look again.
      await vi.waitFor(() => {
        expect(held.length).toBeGreaterThan(0);
        expect(api.stats.requests).toBe(budget.started);
      }, eventually);
      expect(held.length).toBeLessThanOrEqual(3);
      heldAtOnce.push(held.length);
      held.shift()!();
    }
    await all;
    // The first three are let go together: the budget fills its slots.
    expect(heldAtOnce[0]).toBe(3);
    expect(budget.peakInFlight).toBe(3);
    expect(api.stats.peakInFlight).toBe(3);
  });

  it('paces requests per second with a token bucket', async () => {
    api = await startFakeApi();
    api.route('GET', '/things/:id', () => ({ body: {} }));
    // 20 per second, bursts of 20: 30 requests at once start 20 now and 10 over the next half
    // second. The bucket fills from the budget's creation, so the 30th request cannot reach the
    // server before half a second after it (a lower bound that load can only make later).
    const created = Date.now();
    const paced = new RequestBudget({ maxInFlight: 100, maxPerSecond: 20 });
    const client = createApiClient({ baseUrl: api.url, budget: paced });
    await Promise.all(Array.from({ length: 30 }, (_, index) => client.get(`/things/${index}`)));
    const started = api.log.map((record) => record.startedAt).sort((a, b) => a - b);
    expect(started).toHaveLength(30);
    expect(started[29]! - created).toBeGreaterThanOrEqual(490);
  });

  it('retries POST only when it is marked safe (GraphQL queries are)', async () => {
    api = await startFakeApi();
    api.route('POST', '/graphql', (request) => ({
      body: { data: { echo: (request.body as { variables: { v: number } }).variables.v } },
    }));
    api.route('POST', '/mutations', () => ({ body: { ok: true } }));
    api.fault({ match: { path: '/mutations' }, kind: { type: 'status', status: 502 } });
    api.fault({ match: { path: '/graphql' }, kind: { type: 'status', status: 502 } });
    const client = createApiClient({ baseUrl: api.url, retry: fast });
    const error = await failure(client.request({ method: 'POST', path: '/mutations', json: {} }));
    expect(error.attempts).toBe(1);
    expect(await client.graphql<{ echo: number }>('query($v: Int) { echo(v: $v) }', { v: 7 })).toEqual({ echo: 7 });
    api.route('POST', '/graphql-errors', () => ({ body: { errors: [{ message: 'Field missing' }] } }));
    expect((await failure(client.graphql('{ x }', {}, '/graphql-errors'))).message).toContain('GraphQL: Field missing');
  });

  it('times out slow responses, retries them, and reports HTTP_TIMEOUT when they stay slow', async () => {
    api = await startFakeApi();
    api.route('GET', '/slow', () => ({ body: { ok: true } }));
    // A slow answer is ten times the timeout, and the timeout is seconds: a quick answer on a
    // busy machine stays well inside it.
    const timeouts = { requestMs: 2000 };
    api.fault({ kind: { type: 'slow', delayMs: 20_000 } });
    const client = createApiClient({ baseUrl: api.url, timeouts, retry: fast });
    expect((await client.get<{ ok: boolean }>('/slow')).body.ok).toBe(true);
    api.fault({ times: 5, kind: { type: 'slow', delayMs: 20_000 } });
    const error = await failure(
      createApiClient({ baseUrl: api.url, timeouts, retry: { ...fast, limit: 1 } }).get('/slow'),
    );
    expect(error.code).toBe('HTTP_TIMEOUT');
    expect(error.attempts).toBe(2);
  });

  it('maps 404 and other client errors, unless the status is allowed', async () => {
    api = await startFakeApi();
    api.route('GET', '/gone', () => ({ status: 410, body: { message: 'Gone' } }));
    const client = createApiClient({ baseUrl: api.url });
    expect((await failure(client.get('/missing'))).code).toBe('HTTP_NOT_FOUND');
    expect((await failure(client.get('/gone'))).message).toContain('410: Gone');
    expect((await client.get('/missing', { allowStatus: [404] })).status).toBe(404);
  });

  it('goes through a proxy, and keeps the proxy password out of errors', async () => {
    api = await startFakeApi();
    api.route('GET', '/via-proxy', () => ({ body: { ok: true } }));
    const proxied: string[] = [];
    // A tunnelling proxy: the client asks it to CONNECT to the API, then talks through it.
    const proxy = createServer();
    proxy.on('connect', (incoming, clientSocket, head) => {
      proxied.push(
        `${incoming.method} ${incoming.url} ${incoming.headers['proxy-authorization'] ? 'with-auth' : 'no-auth'}`,
      );
      const [host, port] = incoming.url!.split(':');
      const upstream = connect(Number(port), host!, () => {
        clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(clientSocket);
        clientSocket.pipe(upstream);
      });
      upstream.on('error', () => clientSocket.destroy());
      clientSocket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    try {
      const client = createApiClient({ baseUrl: api.url, proxy: `http://user:pr0xy-pass@127.0.0.1:${port}` });
      expect((await client.get<{ ok: boolean }>('/via-proxy')).body.ok).toBe(true);
      expect(proxied).toEqual([`CONNECT ${api.url.replace('http://', '')} with-auth`]);
      const error = await failure(client.get('/nothing-here'));
      expect(error.message).not.toContain('pr0xy-pass');
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
