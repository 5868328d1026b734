import type { ResponseContext } from '@lake/sdk';
import { createTestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { BARE_LIMIT_WAIT_MS, classifyGitlabResponse } from '../src/gitlab-rate-limits.js';
import { gitlabConnector } from '../src/index.js';
import { gitlabFixture } from './fixture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

const NOW = 1_800_000_000_000;
const response = (overrides: Partial<ResponseContext>): ResponseContext => ({
  status: 429,
  headers: {},
  body: 'Retry later\n',
  request: { path: '/projects/1/issues' },
  quota: { remaining: undefined, resetAt: undefined },
  rateLimitHits: 0,
  now: NOW,
  ...overrides,
});

describe("GitLab's rate limits", () => {
  it('holds back only the named budget of a throttled endpoint', () => {
    const pipelines = { path: '/projects/1/pipelines', budget: 'pipelines' };
    expect(classifyGitlabResponse(response({ request: pipelines, headers: { 'retry-after': '7' } }))).toEqual({
      kind: 'rate-limited',
      scope: 'endpoint',
      waitUntil: NOW + 7_000,
    });
    expect(
      classifyGitlabResponse(response({ request: pipelines, quota: { remaining: 0, resetAt: NOW + 30_000 } })),
    ).toEqual({ kind: 'rate-limited', scope: 'endpoint', waitUntil: NOW + 30_000 });
    expect(classifyGitlabResponse(response({ request: pipelines, rateLimitHits: 1 }))).toEqual({
      kind: 'rate-limited',
      scope: 'endpoint',
      waitUntil: NOW + 2 * BARE_LIMIT_WAIT_MS,
    });
  });

  it("leaves a 429 that says when to come back to the SDK's rules, and waits a minute on a bare one", () => {
    expect(classifyGitlabResponse(response({ headers: { 'retry-after': '3' } }))).toBeUndefined();
    expect(classifyGitlabResponse(response({ quota: { remaining: 0, resetAt: NOW + 5_000 } }))).toBeUndefined();
    expect(classifyGitlabResponse(response({}))).toEqual({
      kind: 'rate-limited',
      scope: 'budget',
      waitUntil: NOW + BARE_LIMIT_WAIT_MS,
    });
    expect(classifyGitlabResponse(response({ status: 500 }))).toBeUndefined();
  });

  it('syncs through a throttled pipelines API and a spent quota, losing nothing', async () => {
    const sizes = { mergeRequests: 4, issues: 5, commits: 5, pipelines: 6, deployments: 2 };
    // Two pipelines requests a window: the jobs substream asks for several at once, whatever share
    // of the quota the other streams take.
    const fixture = await gitlabFixture(sizes, { pipelinesLimit: 2, limit: 10, windowMs: 1_500 });
    const lake = await createTestLake({ connector: gitlabConnector });
    closers.push(fixture.close, () => lake.close());
    await lake.syncOrThrow(fixture.context);
    const expected = fixture.dataset.domainCounts();
    for (const [table, count] of Object.entries(expected))
      expect([table, await lake.count(table)]).toEqual([table, count]);
    const throttled = fixture.gitlab.api.log.filter((request) => request.status === 429);
    expect(throttled.some((request) => request.path.includes('/pipelines'))).toBe(true);
    // More requests than one window allows, yet none refused for the quota: every answer carried
    // GitLab's RateLimit-Remaining and RateLimit-Reset, and the client waited for the reset they named.
    expect(fixture.gitlab.api.log.length).toBeGreaterThan(10);
    expect(throttled.filter((request) => !request.path.includes('/pipelines'))).toEqual([]);
  });
});
