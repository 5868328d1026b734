import { testConnector, testDialects } from '@lake/testkit';
import { jiraConnector } from '../src/index.js';
import { expectedDomainCounts, jiraDataset } from './fake-jira/dataset.js';
import { CLOUD_API_TOKEN, connectionFor, DATA_CENTER_TOKEN, startFakeJira } from './fake-jira/fake-jira.js';

// The conformance suite, on SQLite, and on PostgreSQL and MariaDB when LAKE_TEST_PG_URL /
// LAKE_TEST_MYSQL_URL are set: info, test-connection, full and incremental syncs whose domain
// rows are counted against the fake's dataset (after edits, additions and a deletion), the built
// CLI killed with SIGKILL at kill points and resumed, hostile servers (shuffled, reversed and
// repeated pages, edits while paging, ties, rate limits without Retry-After), and no secret in
// any table, log line or output.
testConnector({
  connector: jiraConnector,
  cli: new URL('../dist/cli.js', import.meta.url),
  dialects: testDialects(),
  async setup({ size }) {
    // Pages of 100 issues: 1 page small, 4 large; every 25th issue has more histories than the search returns inline.
    const fake = await startFakeJira(
      jiraDataset({ issues: size === 'large' ? 380 : 60, longChangelogs: { every: 25, histories: 130 } }),
    );
    const connection = connectionFor(fake);
    return {
      context: { connection, scope: { boardId: 8 }, scopeConfig: { storyPointField: 'customfield_10016' } },
      failingConnection: { ...connection, auth: { ...connection.auth, apiToken: 'ATATT3x-revoked-0000' } },
      secrets: [CLOUD_API_TOKEN, DATA_CENTER_TOKEN, 'ATATT3x-revoked-0000'],
      // Counted from the fake's dataset, never from the connector.
      expectedCounts: () => expectedDomainCounts(fake.dataset),
      mutate: (round) => fake.mutate(round),
      remove: () => fake.remove(),
      makeTies: () => fake.makeTies(),
      api: fake.api,
      teardown: () => fake.api.close(),
    };
  },
  futureState: () => ({ issues: { cursor: '2999-01-01T00:00:00.000Z' } }),
});
