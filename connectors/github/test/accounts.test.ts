import { setStreamCursor } from '@lake/sdk';
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
