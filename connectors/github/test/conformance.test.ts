import { type ConnectorFixture, testConnector, testDialects } from '@lake/testkit';
import { githubConnector } from '../src/index.js';
import type { DatasetSizes, GithubDataset } from './fake-github/dataset.js';
import { githubFixture } from './fixture.js';

const FUTURE = '2999-01-01T00:00:00Z';
const DAY = 24 * 3_600_000;

/**
 * `small` is synced dozens of times per dialect by the kill sweep; `large` lists several pages
 * of 100 (GitHub's largest page) of issues, pull requests, comments and runs, so that kills and
 * hostile orders land in the middle of listings.
 */
const SIZES: Record<'small' | 'large', DatasetSizes> = {
  small: { issues: 16, pullRequests: 6, pendingReviews: 1, commits: 8, workflowRuns: 4, jobsPerRun: 2, deployments: 2 },
  large: {
    issues: 320,
    pullRequests: 110,
    pendingReviews: 2,
    commentsPerIssue: 2,
    commits: 40,
    workflowRuns: 120,
    jobsPerRun: 2,
    deployments: 3,
  },
};

/** The dataset behind each fixture's context, for the future state. */
const datasets = new WeakMap<object, GithubDataset>();

/** A login that opens an issue but has no account (renamed or removed since): GitHub answers 404 for it. */
const DEPARTED_LOGIN = 'departed-contributor';

testConnector({
  connector: githubConnector,
  cli: new URL('../dist/cli.js', import.meta.url),
  dialects: testDialects(),
  async setup({ size }) {
    const sizes = SIZES[size];
    const runs = sizes.workflowRuns ?? 6;
    const fixture = await githubFixture(sizes, {
      // Recent enough for its unfinished runs to be within GitHub's 35-day run limit; whole days, so
      // that two fixtures made on one day are alike.
      dataset: { start: new Date(Math.floor(Date.now() / DAY) * DAY - 10 * DAY), runsInProgress: [1, runs - 1] },
    });
    const { dataset } = fixture;
    const stillGoing = dataset.runIds().filter((id) => dataset.run(id)?.status !== 'completed');
    const conformanceFixture = {
      context: fixture.context,
      failingConnection: { id: 1, endpoint: fixture.github.url, tokens: ['ghp_revoked'] },
      secrets: ['ghp_valid', 'ghp_revoked'],
      expectedCounts: () => dataset.domainCounts(),
      mutate: (round) => changeBetweenSyncs(dataset, round, stillGoing),
      remove: () => dataset.deleteIssue(transferredIssue(dataset)),
      makeTies: () => bulkEditMany(dataset),
      api: fixture.github.api,
      teardown: fixture.close,
    } satisfies ConnectorFixture;
    datasets.set(conformanceFixture.context, dataset);
    return conformanceFixture;
  },
  // `pnpm soak` holds the sync of 100,000 issues to the default budget (256 MB peak RSS), as `pnpm bench -- --only github` measures it.
  async soakSetup() {
    const fixture = await githubFixture({
      issues: 100_000,
      pullRequests: 20,
      commentsPerIssue: 0,
      commits: 20,
      workflowRuns: 4,
      deployments: 2,
    });
    return {
      context: fixture.context,
      failingConnection: { id: 1, endpoint: fixture.github.url, tokens: ['ghp_revoked'] },
      secrets: ['ghp_valid', 'ghp_revoked'],
      expectedCounts: () => fixture.dataset.domainCounts(),
      mutate: () => {},
      api: fixture.github.api,
      teardown: fixture.close,
    } satisfies ConnectorFixture;
  },
  futureState: (fixture) => ({
    issues: { since: FUTURE },
    pull_requests: { since: FUTURE },
    review_comments: { since: FUTURE },
    issue_comments: { since: FUTURE },
    // Where the default branch stands now: nothing lies beyond it.
    commits: { head: datasets.get(fixture.context)?.commits.at(-1)?.sha },
    workflow_runs: { createdSince: FUTURE },
    // Accounts are asked for only when other streams mention them; a lake without them asks for none.
    accounts: {},
  }),
});

/** Least recently updated first: the head of a listing sorted by update time, which a change moves to its end. */
function leastRecentlyUpdated(dataset: GithubDataset, kind: 'issue' | 'pull') {
  return dataset.issues
    .filter((record) => !record.deleted && (kind === 'pull') === (record.pull !== undefined))
    .sort((left, right) => left.updatedAt - right.updatedAt || left.number - right.number);
}

/**
 * What happens to a repository between two syncs: the oldest issues retitled, closed or reopened
 * and relabelled (a label taken off, one added), the oldest pull request relabelled, retitled and
 * closed, another one merged, a new issue (in round 2 by a login GitHub no longer knows), new
 * comments on an issue and a pull request, a run still going finished.
 */
function changeBetweenSyncs(dataset: GithubDataset, round: number, stillGoing: readonly number[]): void {
  for (const [index, record] of leastRecentlyUpdated(dataset, 'issue').slice(0, 3).entries()) {
    dataset.touchIssue(record.number, {
      title: `${record.title} (edited in round ${round})`,
      ...(index === 0 ? { state: record.state === 'open' ? 'closed' : 'open' } : {}),
      // One label taken off, one added.
      ...(index === 1 ? { labels: [...record.labels.slice(1), `round-${round}`] } : {}),
    });
  }
  const [pull] = leastRecentlyUpdated(dataset, 'pull');
  if (pull) {
    dataset.touchIssue(pull.number, { labels: [...pull.labels.slice(1), `round-${round}`] });
    dataset.touchPullRequest(pull.number, {
      title: `${pull.title} (edited in round ${round})`,
      ...(pull.state === 'open' ? { state: 'closed' as const } : {}),
    });
  }
  // A merge brings the pull request's commits, older than anything on the branch, into its history.
  const mergeable = leastRecentlyUpdated(dataset, 'pull').find((record) => record.state === 'open');
  if (mergeable) dataset.touchPullRequest(mergeable.number, { merged: true });
  const added = dataset.addIssue({
    title: `Found in round ${round}`,
    labels: ['bug', `round-${round}`],
    ...(round === 2 ? { author: DEPARTED_LOGIN } : {}),
  });
  dataset.addIssueComment(added, `First comment of round ${round}`);
  const [commented] = leastRecentlyUpdated(dataset, 'pull');
  if (commented) dataset.addIssueComment(commented.number, `A review note of round ${round}`);
  const run = stillGoing[round - 1];
  if (run !== undefined && dataset.run(run)?.status !== 'completed') dataset.completeRun(run, 'success');
}

/** A plain issue with comments, whose transfer takes them along. */
function transferredIssue(dataset: GithubDataset): number {
  const commented = new Set(dataset.issueComments.map((comment) => comment.issueNumber));
  const number = dataset.issueNumbers().find((candidate) => commented.has(candidate));
  if (number === undefined) throw new Error('the dataset has no plain issue with comments to transfer');
  return number;
}

/** One bulk edit of many issues and some pull requests: more than a page of them share one `updated_at`. */
function bulkEditMany(dataset: GithubDataset): void {
  const issues = dataset.issueNumbers();
  const pulls = dataset.pullRequestNumbers();
  dataset.bulkEdit([...issues.slice(0, 150), ...pulls.slice(0, 15)], { addLabels: ['triaged'] });
}
