import { type ConnectorFixture, testConnector, testDialects } from '@lake/testkit';
import { jenkinsConnector } from '../src/index.js';
import { REVOKED_TOKEN, USER } from './fake-jenkins/fake-jenkins.js';
import { DEPLOY_JOB, jenkinsDataset, jenkinsFixture } from './fixture.js';

const FUTURE = Date.parse('2999-01-01T00:00:00Z');

// The conformance suite, on SQLite, and on PostgreSQL and MariaDB when LAKE_TEST_PG_URL /
// LAKE_TEST_MYSQL_URL are set. `large` reads its builds in three `allBuilds` ranges of 100, so
// that kills and repeats land mid-listing.
testConnector({
  connector: jenkinsConnector,
  cli: new URL('../dist/cli.js', import.meta.url),
  dialects: testDialects(),
  async setup({ size }) {
    const fixture = await jenkinsFixture(jenkinsDataset(size === 'large' ? 250 : 12));
    const { dataset } = fixture;
    return {
      context: fixture.context,
      failingConnection: { id: 1, endpoint: fixture.jenkins.url, username: USER, apiToken: REVOKED_TOKEN },
      secrets: [String(fixture.context.connection.apiToken), REVOKED_TOKEN],
      expectedCounts: () => dataset.domainCounts(DEPLOY_JOB),
      // Running builds finish, and two start (one still running at the next sync).
      mutate: () => {
        dataset.finishRunning(DEPLOY_JOB);
        dataset.startBuild(DEPLOY_JOB);
        dataset.startBuild(DEPLOY_JOB, true);
      },
      // Log rotation: the oldest build goes.
      remove: () => dataset.deleteBuild(DEPLOY_JOB, dataset.job(DEPLOY_JOB).builds[0]!.number),
      api: fixture.jenkins.api,
      teardown: fixture.close,
    } satisfies ConnectorFixture;
  },
  // Builds are listed by number, which no two builds share: there is no sort key to tie on.
  hostileServers: { ties: false },
  futureState: () => ({ builds: { jobs: { [DEPLOY_JOB]: { number: 1_000_000_000, timestamp: FUTURE } } } }),
});
