import { type ConnectorFixture, testConnector, testDialects } from '@lake/testkit';
import { gitlabConnector } from '../src/index.js';
import type { DatasetSizes, GitlabDataset } from './fake-gitlab/dataset.js';
import { REVOKED_TOKEN, TOKEN } from './fake-gitlab/fake-gitlab.js';
import { gitlabFixture } from './fixture.js';

const FUTURE = '2999-01-01T00:00:00.000Z';

/**
 * `small` is synced dozens of times per dialect by the kill sweep; `large` lists several pages
 * of 100 (GitLab's largest page) of merge requests, issues and pipelines, so that kills and
 * hostile orders land in the middle of listings.
 */
const SIZES: Record<'small' | 'large', DatasetSizes> = {
  small: {
    mergeRequests: 4,
    issues: 6,
    commits: 5,
    pipelines: 7,
    jobsPerPipeline: 1,
    deployments: 3,
    notesPerMergeRequest: 3,
  },
  large: {
    mergeRequests: 105,
    issues: 210,
    commits: 120,
    pipelines: 20,
    jobsPerPipeline: 1,
    deployments: 3,
    notesPerMergeRequest: 3,
    commitsPerMergeRequest: 1,
  },
};

const datasets = new WeakMap<object, GitlabDataset>();

testConnector({
  connector: gitlabConnector,
  cli: new URL('../dist/cli.js', import.meta.url),
  dialects: testDialects(),
  async setup({ size }) {
    const fixture = await gitlabFixture(SIZES[size]);
    const { dataset } = fixture;
    const conformanceFixture = {
      context: fixture.context,
      failingConnection: { id: 1, endpoint: fixture.gitlab.url, token: REVOKED_TOKEN },
      secrets: [TOKEN, REVOKED_TOKEN],
      expectedCounts: () => dataset.domainCounts(),
      mutate: (round) => changeBetweenSyncs(dataset, round),
      remove: () => dataset.deleteIssue(dataset.issues[0]!.iid),
      makeTies: () => dataset.bulkLabel('triaged', 150, 105),
      api: fixture.gitlab.api,
      teardown: fixture.close,
    } satisfies ConnectorFixture;
    datasets.set(conformanceFixture.context, dataset);
    return conformanceFixture;
  },
  futureState: (fixture) => ({
    merge_requests: { cursor: FUTURE },
    pipelines: { cursor: FUTURE },
    deployments: { cursor: FUTURE },
    issues: { cursor: FUTURE },
    // Where the default branch stands now: nothing lies beyond it.
    commits: { head: datasets.get(fixture.context)?.head?.id },
  }),
});

const leastRecentlyUpdated = <T extends { updated_at: number; id: number }>(records: readonly T[]) =>
  [...records].sort((left, right) => left.updated_at - right.updated_at || left.id - right.id);

/**
 * What happens to a project between two syncs: the oldest open merge request merged (the branch
 * moves), a merged one edited after its merge, a note added, an approval withdrawn and one given, the oldest issues retitled, closed
 * or reopened and relabelled, a comment on an issue, a running pipeline finished, and new merge requests, issues,
 * pipelines and deployments.
 */
function changeBetweenSyncs(dataset: GitlabDataset, round: number): void {
  const open = leastRecentlyUpdated(dataset.mergeRequests).find((record) => record.state === 'opened');
  if (open) dataset.merge(open.iid);
  const merged = leastRecentlyUpdated(dataset.mergeRequests).find((record) => record.state === 'merged');
  if (merged)
    dataset.touchMergeRequest(merged.iid, {
      title: `${merged.title} (edited after merge, round ${round})`,
      labels: [...merged.labels.slice(1), `round-${round}`],
    });
  const [noted] = leastRecentlyUpdated(dataset.mergeRequests);
  if (noted) dataset.addNote(noted.iid, `A review note of round ${round}`);
  const approved = leastRecentlyUpdated(dataset.mergeRequests).find((record) => record.approved_by.length > 0);
  if (approved) dataset.unapprove(approved.iid, approved.approved_by[0]!);
  const [unapproved] = leastRecentlyUpdated(dataset.mergeRequests);
  if (unapproved) dataset.approve(unapproved.iid, dataset.user(round));
  for (const [index, issue] of leastRecentlyUpdated(dataset.issues).slice(0, 3).entries()) {
    dataset.touchIssue(issue.iid, {
      title: `${issue.title} (edited in round ${round})`,
      ...(index === 0 ? { state: issue.state === 'opened' ? 'closed' : 'opened' } : {}),
      ...(index === 1 ? { labels: [...issue.labels.slice(1), `round-${round}`], assignees: [] } : {}),
    });
  }
  const [commented] = leastRecentlyUpdated(dataset.issues);
  if (commented) dataset.addIssueNote(commented.iid, `Still happening in round ${round}`);
  const running = dataset.pipelines.find((pipeline) => pipeline.status === 'running');
  if (running) dataset.finishPipeline(running.id);
  dataset.addMergeRequest(dataset.mergeRequests.length);
  dataset.addIssue(dataset.issues.length);
  dataset.addPipeline(dataset.pipelines.length);
  dataset.addDeployment(dataset.deployments.length);
}
