import { testConnector, testDialects } from '@lake/testkit';
import { GitRepository, gitConnector } from '../src/index.js';
import { makeRepository } from './make-repository.js';

testConnector({
  connector: gitConnector,
  dialects: testDialects(),
  async setup() {
    const repository = await makeRepository({ commits: 120, mergeEvery: 9 });
    return {
      context: { connection: { id: 1 }, scope: { path: repository.path } },
      failingConnection: { id: 1, gitBinary: '/nonexistent/git' },
      teardown: repository.cleanup,
    };
  },
  // Tips equal to every ref of the repository: there is nothing beyond them to read.
  futureState: async (fixture) => ({
    commits: { tips: await new GitRepository(String(fixture.context.scope.path)).commitTips() },
  }),
});
