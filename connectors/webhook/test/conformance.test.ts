import { testConnector, testDialects } from '@lake/testkit';
import { webhookConnector } from '../src/index.js';
import { TOKEN_ONE } from './support/webhook-lake.js';

// What a sync of the webhook connector reads is the connection itself (its cicd scope and
// board); the receiver's writes are tested in receiver.test.ts. The suite still proves the sync
// exact, resumable after kills, and silent about the token.
testConnector({
  connector: webhookConnector,
  cli: new URL('../dist/cli.js', import.meta.url),
  dialects: testDialects(),
  // Nothing is fetched from a server, and a sync is one record in one commit.
  hostileServers: false,
  singleCommitSync: true,
  async setup() {
    const scope: { name?: string } = {};
    return {
      context: { connection: { id: 1, token: TOKEN_ONE, name: 'shop deploys' }, scope },
      // A receiver URL where nothing listens: test-connection must say so.
      failingConnection: { id: 1, token: TOKEN_ONE, receiverUrl: 'http://127.0.0.1:9' },
      secrets: [TOKEN_ONE],
      expectedCounts: () => ({ cicd_scopes: 1, boards: 1 }),
      mutate(round) {
        scope.name = `shop deploys, round ${round}`;
      },
    };
  },
  // The one stream is not incremental.
  futureState: () => ({}),
});
