import { createTestLake } from '@lake/testkit';
import { describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { throwEverythingAt } from './fake-github/fault-plan.js';
import { githubFixture } from './fixture.js';
import { timeBudget } from './time-budget.js';

describe('a sync through everything GitHub throws at it', () => {
  it(
    '10,050 issues: a primary rate limit, a secondary one, a 502 burst, a reset, a truncated body, and a token that expires',
    async () => {
      const fixture = await githubFixture(
        { issues: 10_050, pullRequests: 10, commentsPerIssue: 0, commits: 5, workflowRuns: 2, deployments: 1 },
        { tokens: { ghp_valid: 'alice', ghp_expiring: 'bob' } },
      );
      const { api } = fixture.github;
      // What a sync without any trouble writes, to compare the troubled one with.
      const cleanLake = await createTestLake({ connector: githubConnector });
      await cleanLake.syncOrThrow(fixture.context);
      const expected = await cleanLake.snapshot();
      await cleanLake.close();
      api.log.length = 0;
      throwEverythingAt(api);
      const lake = await createTestLake({ connector: githubConnector });
      try {
        const result = await lake.sync({
          ...fixture.context,
          connection: { ...fixture.context.connection, maxInFlight: 4 },
        });
        expect(result.error?.message ?? '').toBe('');
        expect(await lake.count('issues')).toBe(10_050);
        expect(await lake.count('_raw_github_issues')).toBe(10_050);
        const distinct = await lake.store.db
          .selectFrom('issues')
          .select((builder) => builder.fn.count('issue_key').distinct().as('count'))
          .executeTakeFirstOrThrow();
        expect(Number(distinct.count)).toBe(10_050);
        // Every table, raw to domain, holds exactly what the untroubled sync wrote: each record once.
        expect(await lake.snapshot()).toEqual(expected);
        const log = api.log;
        // The quota ran out several times over (more requests than two tokens may make in one window), and the
        // client waited for the resets: a client ignoring X-RateLimit-Remaining would draw a storm of 403s in every
        // window. Only requests already in flight when a token ran dry may meet one: at most the budget's 4 in each
        // window of each token (the windows a token's requests span, counted from the log, bound how often it ran dry).
        const answered = log.filter((record) => record.status === 200);
        expect(answered.length).toBeGreaterThan(2 * 40);
        const primaryLimited = log.filter((record) => record.status === 403 && record.fault === undefined);
        const windows = ['ghp_valid', 'ghp_expiring'].reduce((sum, token) => {
          const times = log.filter((record) => record.token === token).map((record) => record.startedAt);
          return times.length === 0 ? sum : sum + Math.ceil((Math.max(...times) - Math.min(...times)) / 1500) + 1;
        }, 0);
        expect(primaryLimited.length).toBeLessThanOrEqual(4 * windows);
        expect(log.filter((record) => record.fault === 'status')).toHaveLength(4);
        expect(log.some((record) => record.fault === 'rate-limit')).toBe(true);
        expect(log.filter((record) => record.fault === 'reset' || record.fault === 'truncate')).toHaveLength(2);
        // The expiring token was rejected, then dropped: the client marks a credential rejected before the budget
        // lets another request go, so the requests sent with it after its 25 good uses are at most the 4 the budget
        // had in flight when the first rejection came back. The valid token carried everything else.
        const expiring = log.filter((record) => record.token === 'ghp_expiring');
        const rejected = expiring.filter((record) => record.status === 401);
        expect(rejected.length).toBeGreaterThanOrEqual(1);
        expect(rejected.length).toBeLessThanOrEqual(4);
        expect(expiring.length).toBeLessThanOrEqual(25 + 4);
        expect(log.filter((record) => record.token === 'ghp_valid').length).toBeGreaterThan(50);
      } finally {
        await lake.close();
        await fixture.close();
      }
    },
    timeBudget(120_000),
  );

  it('a single token that expires mid-sync fails the sync clearly; a new token resumes it', async () => {
    const fixture = await githubFixture(
      { issues: 700, pullRequests: 5, commentsPerIssue: 0 },
      { tokens: { ghp_first: 'alice', ghp_second: 'alice' } },
    );
    let uses = 0;
    fixture.github.api.requireToken((token) => token !== 'ghp_first' || ++uses <= 4);
    const lake = await createTestLake({ connector: githubConnector });
    try {
      const first = await lake.sync({
        ...fixture.context,
        connection: { ...fixture.context.connection, tokens: ['ghp_first'] },
      });
      expect(first.status).toBe('failed');
      expect(first.error?.code).toBe('HTTP_AUTH');
      expect(first.error?.message).toMatch(/credentials rejected: Bad credentials/);
      expect(first.error?.message).not.toContain('ghp_first');
      const partial = await lake.count('issues');
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(700);
      const second = await lake.syncOrThrow({
        ...fixture.context,
        connection: { ...fixture.context.connection, tokens: ['ghp_second'] },
      });
      expect(second.streams.find((stream) => stream.name === 'issues')?.resumed).toBe(true);
      expect(await lake.count('issues')).toBe(700);
      expect(await lake.count('_raw_github_issues')).toBe(700);
    } finally {
      await lake.close();
      await fixture.close();
    }
  });
});
