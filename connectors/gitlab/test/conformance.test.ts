import { testConnector, testDialects } from '@lake/testkit';
import { gitlabConnector } from '../src/index.js';
import { fixtureItems, startFakeGitlab, TOKEN } from './fake-gitlab.js';

// #region conformance
// The conformance suite, on SQLite, and on PostgreSQL and MariaDB when LAKE_TEST_PG_URL /
// LAKE_TEST_MYSQL_URL are set: info, test-connection, full and incremental syncs whose domain
// rows are counted against the fake's items (after edits, additions and a deletion), the built
// CLI killed with SIGKILL at kill points and resumed, hostile servers (shuffled, reversed and
// repeated pages, edits while paging, ties, rate limits without Retry-After), and no secret in
// any table, log line or output.
testConnector({
  connector: gitlabConnector,
  cli: new URL('../dist/cli.js', import.meta.url),
  dialects: testDialects(),
  async setup({ size }) {
    // Pages of 50: 3 pages small, 9 large.
    const fake = await startFakeGitlab(fixtureItems(size === 'large' ? 420 : 120));
    return {
      context: { connection: { id: 1, endpoint: fake.url, token: TOKEN }, scope: { project: 'CORE' } },
      failingConnection: { id: 1, endpoint: fake.url, token: 'token-revoked-0000' },
      secrets: [TOKEN, 'token-revoked-0000'],
      // Counted from the fake's items, never from the connector: one issue and one board entry each.
      expectedCounts: () => ({ issues: fake.items.length, board_issues: fake.items.length }),
      mutate: (round) => fake.mutate(round),
      remove: () => fake.remove(),
      makeTies: () => fake.makeTies(),
      api: fake.api,
      teardown: () => fake.api.close(),
    };
  },
  futureState: () => ({ items: { since: '2999-01-01T00:00:00Z' } }),
});
// #endregion conformance
