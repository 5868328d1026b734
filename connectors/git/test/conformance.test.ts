import { testConnector, testDialects } from '@lake/testkit';
import { GitRepository, gitConnector } from '../src/index.js';
import { makeRepository, type TestRepository } from './make-repository.js';

/** The token in the fixture's remote URL: it must reach no table and no log line. */
const REMOTE_TOKEN = 'ghp_conformanceSecret0123456789';

testConnector({
  connector: gitConnector,
  cli: new URL('../dist/cli.js', import.meta.url),
  dialects: testDialects(),
  // A local repository: there is no server to be hostile.
  hostileServers: false,
  async setup({ size }) {
    const repository = await makeRepository(
      size === 'large' ? { commits: 400, mergeEvery: 9 } : { commits: 30, mergeEvery: 7 },
    );
    repository.git('remote', 'add', 'origin', `https://lake-bot:${REMOTE_TOKEN}@git.example.org/team/project.git`);
    return {
      context: { connection: { id: 1 }, scope: { path: repository.path } },
      failingConnection: { id: 1, gitBinary: '/nonexistent/git' },
      secrets: [REMOTE_TOKEN, 'lake-bot'],
      expectedCounts: () => countsFromGit(repository),
      mutate(round) {
        // New commits on main, a branch moved to them, a new tag: what happens between two syncs.
        repository.addCommits(2, `round ${round}`);
        repository.git('branch', '-f', 'side-7', 'main');
        repository.git('tag', `round-${round}`);
      },
      remove() {
        repository.git('branch', '-D', 'side-14');
      },
      teardown: repository.cleanup,
    };
  },
  // Tips equal to every ref of the repository: there is nothing beyond them to read.
  futureState: async (fixture) => ({
    commits: { tips: await new GitRepository(String(fixture.context.scope.path)).commitTips() },
  }),
});

/**
 * What the lake must hold, asked of git itself (never of the connector's parser): every commit
 * reachable from a ref, its parents, the files its first-parent diff touches, the refs, and the
 * distinct author and committer e-mail addresses.
 */
function countsFromGit(repository: TestRepository): Record<string, number> {
  const commits = repository.countAll();
  const parents = repository
    .git('rev-list', '--all', '--parents')
    .split('\n')
    .filter(Boolean)
    .reduce((sum, line) => sum + line.split(' ').length - 1, 0);
  const files = repository
    .git('log', '--all', '--format=', '--numstat', '-M', '--diff-merges=first-parent')
    .split('\n')
    .filter((line) => /^(\d+|-)\t(\d+|-)\t/.test(line)).length;
  const refs = repository
    .git('for-each-ref', '--format=%(refname) %(objecttype) %(*objecttype)', 'refs/heads', 'refs/tags', 'refs/remotes')
    .split('\n')
    .filter((line) => line && !line.split(' ')[0]!.endsWith('/HEAD') && line.includes('commit')).length;
  const emails = new Set(
    repository
      .git('log', '--all', '--format=%ae%n%ce')
      .split('\n')
      .filter(Boolean)
      .map((email) => email.toLowerCase()),
  );
  return {
    repos: 1,
    commits,
    repo_commits: commits,
    commit_parents: parents,
    commit_files: files,
    refs,
    accounts: emails.size,
  };
}
