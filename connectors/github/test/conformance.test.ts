import { testConnector, testDialects } from '@lake/testkit';
import { githubConnector } from '../src/index.js';
import { githubFixture } from './fixture.js';

const FUTURE = '2999-01-01T00:00:00Z';

testConnector({
  connector: githubConnector,
  dialects: testDialects(),
  async setup() {
    const fixture = await githubFixture({ issues: 30, pullRequests: 12, commits: 15, workflowRuns: 4, deployments: 2 });
    return {
      context: fixture.context,
      failingConnection: { id: 1, endpoint: fixture.github.url, tokens: ['ghp_revoked'] },
      secrets: ['ghp_valid', 'ghp_revoked'],
      teardown: fixture.close,
    };
  },
  futureState: () => ({
    issues: { since: FUTURE },
    pull_requests: { since: FUTURE },
    review_comments: { since: FUTURE },
    issue_comments: { since: FUTURE },
    commits: { since: FUTURE },
    workflow_runs: { createdSince: FUTURE },
    // Accounts are asked for only when other streams mention them; a lake without them asks for none.
    accounts: {},
  }),
});
