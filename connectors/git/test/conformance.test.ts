import { testConnector, testDialects } from '@lake/testkit';
import { GitRepository, gitConnector } from '../src/index.js';
import { makeRepository } from './make-repository.js';

/** The token in the fixture's remote URL: it must reach no table and no log line. */
const REMOTE_TOKEN = 'ghp_conformanceSecret0123456789';

testConnector({
  connector: gitConnector,
  dialects: testDialects(),
  async setup() {
    const repository = await makeRepository({ commits: 120, mergeEvery: 9 });
    repository.git('remote', 'add', 'origin', `https://lake-bot:${REMOTE_TOKEN}@git.example.org/team/project.git`);
    return {
      context: { connection: { id: 1 }, scope: { path: repository.path } },
      failingConnection: { id: 1, gitBinary: '/nonexistent/git' },
      secrets: [REMOTE_TOKEN, 'lake-bot'],
      teardown: repository.cleanup,
    };
  },
  // Tips equal to every ref of the repository: there is nothing beyond them to read.
  futureState: async (fixture) => ({
    commits: { tips: await new GitRepository(String(fixture.context.scope.path)).commitTips() },
  }),
});
