import { setStreamCursor } from '@lake/sdk/testing';
import { createTestLake } from '@lake/testkit';
import { describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { MISSING_LOGIN_RETRY_MS } from '../src/streams/accounts-stream.js';
import { githubFixture } from './fixture.js';

describe('accounts GitHub has no profile for', () => {
  it('are asked for once, then again only on a full sync or once the retry period has passed', async () => {
    const fixture = await githubFixture({ issues: 5, pullRequests: 2, workflowRuns: 1, deployments: 0 });
    // A login the repository still names, whose account was renamed or removed since.
    fixture.dataset.addIssue({ author: 'departed-user' });
    const lake = await createTestLake({ connector: githubConnector });
    const { api } = fixture.github;
    const asked = (start: number) => api.log.slice(start).filter((record) => record.path === '/users/departed-user');
    try {
      let start = api.log.length;
      await lake.syncOrThrow(fixture.context);
      expect(asked(start).map((record) => record.status)).toEqual([404]);
      expect(await lake.count('_tool_github_accounts')).toBeGreaterThan(0);

      start = api.log.length;
      await lake.syncOrThrow(fixture.context);
      expect(asked(start)).toEqual([]);

      start = api.log.length;
      await lake.syncOrThrow(fixture.context, { full: true });
      expect(asked(start)).toHaveLength(1);

      start = api.log.length;
      await lake.syncOrThrow(fixture.context);
      expect(asked(start)).toEqual([]);

      // The answer remembered from longer ago than the retry period is asked for again.
      const longAgo = new Date(Date.now() - MISSING_LOGIN_RETRY_MS - 60_000).toISOString();
      const stateKey = { connector: 'github', connectionId: 1, scopeId: fixture.dataset.fullName, stream: 'accounts' };
      await setStreamCursor(lake.store, stateKey, { missing: { 'departed-user': longAgo } });
      start = api.log.length;
      await lake.syncOrThrow(fixture.context);
      expect(asked(start)).toHaveLength(1);
    } finally {
      await lake.close();
      await fixture.close();
    }
  });
});

describe('accounts, a sync interrupted while it describes them', () => {
  for (const full of [false, true]) {
    it(`resumed, describes every account once (${full ? 'a full' : 'an incremental'} run)`, async () => {
      const fixture = await githubFixture({ issues: 12, pullRequests: 3, workflowRuns: 1, deployments: 0 });
      const lake = await createTestLake({ connector: githubConnector });
      // Small batches: the interrupted run commits a few accounts and leaves the others.
      const context = { ...fixture.context, options: { batchSize: 3 } };
      try {
        await lake.syncOrThrow(context, { streams: ['repository', 'issues', 'pull_requests'] });
        const controller = new AbortController();
        const interrupted = await lake.sync(context, {
          full,
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === 'stream-progress' && event.stream === 'accounts') controller.abort(new Error('stop'));
          },
        });
        expect(interrupted.status).toBe('aborted');
        const described = await lake.count('_tool_github_accounts');
        expect(described).toBeGreaterThan(0);
        await lake.syncOrThrow(context);
        const expected = fixture.dataset.domainCounts().accounts;
        expect(described).toBeLessThan(expected);
        expect(await lake.count('accounts')).toBe(expected);
        expect(await lake.count('_raw_github_accounts')).toBe(expected);
      } finally {
        await lake.close();
        await fixture.close();
      }
    });
  }
});
