import { ApiError, createApiClient, type ResponseContext, Secret } from '@lake/sdk';
import { type FakeApi, startFakeApi } from '@lake/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { githubApiHooks } from '../src/client.js';
import { classifyGithubResponse, readGithubQuota } from '../src/github-rate-limits.js';

const fast = { baseDelayMs: 5, maxDelayMs: 20 };
/** Waiting for something that happens on loopback within milliseconds: only a broken client comes near it. */
const eventually = { timeout: 30_000, interval: 2 };
let api: FakeApi;
afterEach(async () => {
  await api?.close();
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('GitHub’s rate limits, through the SDK’s client', () => {
  it('waits for the quota to reset when the only token runs out (GitHub answers 403)', async () => {
    api = await startFakeApi();
    api.rateLimit({ limit: 2, windowMs: 1500 }).route('GET', '/things', () => ({ body: [] }));
    const quotas: Array<ReturnType<typeof readGithubQuota>> = [];
    const client = createApiClient({
      baseUrl: api.url,
      auth: { type: 'token', token: 'only-token' },
      retry: fast,
      hooks: {
        ...githubApiHooks(),
        afterResponse: [
          (response) => {
            quotas.push(readGithubQuota(response.headers));
            return response;
          },
        ],
      },
    });
    // Spend the quota (on a slow machine a window may end between two requests: keep going
    // until an answer says none is left), then ask once more.
    while (quotas.at(-1)?.remaining !== 0) {
      await client.get('/things');
      expect(quotas.length).toBeLessThan(20);
    }
    const spent = quotas.at(-1)!;
    await client.get('/things');
    // The client learnt from X-RateLimit-Remaining: 0 and waited for the reset it was given
    // instead of sending into a 403.
    expect(api.log.map((record) => record.status)).toEqual(quotas.map(() => 200));
    expect(api.log.at(-1)!.startedAt).toBeGreaterThanOrEqual(spent.resetAt!);
  });

  it('rests each spent token of a pool until its reset, and says so when all are spent', async () => {
    api = await startFakeApi();
    api.rateLimit({ limit: 3 }).route('GET', '/things', () => ({ body: [] }));
    const client = createApiClient({
      baseUrl: api.url,
      auth: { type: 'pool', tokens: ['alpha', new Secret('gamma')] },
      // The quota window is an hour: waiting for it must exceed the limit however slowly the
      // requests before went (with the default hour, a second lost would make it a wait).
      retry: { ...fast, maxRateLimitWaitMs: 60_000 },
      hooks: githubApiHooks(),
    });
    for (let index = 0; index < 6; index += 1) await client.get('/things');
    const exhausted = await failure(client.get('/things'));
    expect(exhausted.code).toBe('HTTP_RATE_LIMITED');
    expect(exhausted.message).toContain('rate limit exhausted for every credential');
    // Each token made its three requests and none was sent into a 403: the client read X-RateLimit-Remaining.
    expect(api.log.map((record) => `${record.token} ${record.status}`).sort()).toEqual([
      ...Array(3).fill('alpha 200'),
      ...Array(3).fill('gamma 200'),
    ]);
  });

  it('a secondary rate limit (403) pauses every request of the budget', async () => {
    api = await startFakeApi();
    api.route('GET', '/things/:id', () => ({ body: {} }));
    api.fault({ kind: { type: 'rate-limit', status: 403, retryAfterSeconds: 1 } });
    let limitSeen = false;
    const client = createApiClient({
      baseUrl: api.url,
      retry: fast,
      budget: { maxInFlight: 4 },
      hooks: {
        ...githubApiHooks(),
        afterResponse: [
          (response) => {
            if (response.statusCode === 403) limitSeen = true;
            return response;
          },
        ],
      },
    });
    const first = client.get('/things/0');
    // The limited request gives its slot back only after it paused the budget.
    await vi.waitFor(() => expect([limitSeen, client.budget.inFlight]).toEqual([true, 0]), eventually);
    const others = [1, 2, 3, 4].map((id) => client.get(`/things/${id}`));
    await Promise.all([first, ...others]);
    const limited = api.log.find((record) => record.fault === 'rate-limit')!;
    const after = api.log.filter((record) => record !== limited);
    expect(after.map((record) => record.status)).toEqual([200, 200, 200, 200, 200]);
    for (const record of after) expect(record.startedAt - limited.finishedAt, record.path).toBeGreaterThanOrEqual(1000);
  });

  it('waits GitHub’s minimum on a secondary limit that comes without Retry-After', async () => {
    api = await startFakeApi();
    api.route('GET', '/things', () => ({ body: [] }));
    api.fault({ kind: { type: 'rate-limit', status: 403, retryAfterSeconds: 1 } });
    api.setHostility({ dropRetryAfter: true });
    const client = createApiClient({ baseUrl: api.url, retry: fast, hooks: githubApiHooks({ secondaryWaitMs: 300 }) });
    await client.get('/things');
    const [limited, retried] = api.log;
    expect([limited!.status, retried!.status]).toEqual([403, 200]);
    expect(retried!.startedAt - limited!.finishedAt).toBeGreaterThanOrEqual(300);
  });

  it('fails a 403 that is no rate limit at once, with GitHub’s reason', async () => {
    api = await startFakeApi();
    api.route('GET', '/repos/o/r/actions/runs', () => ({
      status: 403,
      body: { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs' },
    }));
    const client = createApiClient({ baseUrl: api.url, retry: fast, hooks: githubApiHooks(), source: 'github' });
    const error = await failure(client.get('/repos/o/r/actions/runs'));
    expect([error.code, error.attempts]).toEqual(['HTTP_AUTH', 1]);
    expect(error.message).toContain('403: Resource not accessible by personal access token');
  });
});

describe('classifyGithubResponse', () => {
  const NOW = 1_000_000;
  function response(
    status: number,
    options: { body?: string; headers?: Record<string, string>; hits?: number } = {},
  ): ResponseContext {
    const headers = options.headers ?? {};
    return {
      status,
      headers,
      body: options.body ?? '{}',
      request: { path: '/user' },
      quota: readGithubQuota(headers) ?? { remaining: undefined, resetAt: undefined },
      rateLimitHits: options.hits ?? 0,
      now: NOW,
    };
  }
  const spent = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String((NOW + 30_000) / 1000) };
  const secondary = '{"message":"You have exceeded a secondary rate limit."}';

  it('rests the token on a primary limit, 403 or 429', () => {
    for (const status of [403, 429])
      expect(classifyGithubResponse(response(status, { headers: spent }))).toEqual({
        kind: 'rate-limited',
        scope: 'credential',
        waitUntil: NOW + 30_000,
      });
  });

  it('pauses everything on a secondary limit: Retry-After, else a minute doubling up to four', () => {
    const budget = (waitMs: number) => ({ kind: 'rate-limited', scope: 'budget', waitUntil: NOW + waitMs });
    expect(classifyGithubResponse(response(403, { headers: { 'retry-after': '5' } }))).toEqual(budget(5000));
    expect(classifyGithubResponse(response(403, { body: secondary }))).toEqual(budget(60_000));
    expect(classifyGithubResponse(response(429, { body: secondary, hits: 1 }))).toEqual(budget(120_000));
    expect(classifyGithubResponse(response(403, { body: secondary, hits: 7 }))).toEqual(budget(240_000));
    expect(classifyGithubResponse(response(403, { body: secondary, headers: spent }))).toEqual(budget(60_000));
    expect(classifyGithubResponse(response(403, { body: '{"message":"abuse detection mechanism"}' }))).toEqual(
      budget(60_000),
    );
  });

  it('leaves everything else to the standard rules', () => {
    expect(classifyGithubResponse(response(403, { body: '{"message":"Must have admin rights"}' }))).toBeUndefined();
    expect(classifyGithubResponse(response(429))).toBeUndefined();
    expect(classifyGithubResponse(response(500, { body: secondary }))).toBeUndefined();
    expect(classifyGithubResponse(response(200, { headers: spent }))).toBeUndefined();
  });

  it('reads the quota from X-RateLimit-*, and nothing from a response without them', () => {
    expect(readGithubQuota({ 'x-ratelimit-remaining': '17', 'x-ratelimit-reset': '1700000000' })).toEqual({
      remaining: 17,
      resetAt: 1_700_000_000_000,
    });
    expect(readGithubQuota({ 'x-ratelimit-remaining': '3' })).toEqual({ remaining: 3, resetAt: undefined });
    expect(readGithubQuota({ 'ratelimit-remaining': '3' })).toBeUndefined();
  });
});
