import { isLakeError } from '@lake/sdk';
import { testDialects } from '@lake/sdk/testing';
import { describe, expect, it } from 'vitest';
import { explainPullRequest, runMetrics } from '../src/index.js';
import { useScratchLake } from './support/scratch-lake.js';
import {
  at,
  dc,
  SHOP_REPO_URL,
  writeIssues,
  writePipelines,
  writeProjects,
  writePullRequests,
  writeShopHistory,
} from './support/shop-history.js';

const isoAt = (...parts: Parameters<typeof at>) => at(...parts).toISOString();
const range = (pipeline: string, sha: string, environment: string, result: string, previous: [string, string]) => ({
  deploymentCommitId: dc(pipeline),
  cicdDeploymentId: pipeline,
  commitSha: sha,
  repoUrl: SHOP_REPO_URL,
  environment,
  result,
  previousDeploymentCommitId: previous[0],
  previousCommitSha: previous[1],
  counts: environment === 'PRODUCTION' && result === 'SUCCESS' && previous[0] !== '',
});

describe.each(testDialects())('explainPullRequest on %s', (dialect) => {
  const lake = useScratchLake(dialect);
  const explain = (pullRequestId: string) => explainPullRequest(lake.store, { projectName: 'shop', pullRequestId });

  it('names the commit, comment and deployment each span of a deployed pull request was measured from', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    const explanation = await explain('pr1');
    expect(explanation.pullRequest).toEqual({
      id: 'pr1',
      key: '0',
      status: 'MERGED',
      baseRepoId: 'repo:1',
      authorId: 'u:alice',
      mergeCommitSha: 'c3',
      createdDate: isoAt(0, 10),
      mergedDate: isoAt(2, 10),
    });
    expect(explanation.firstCommit).toEqual({ sha: 'x1', authoredDate: isoAt(-1, 8, 0, 30) });
    expect(explanation.firstReview).toEqual({ id: 'cm2', accountId: 'u:bob', createdDate: isoAt(0, 12, 0, 20) });
    expect(explanation.inProjectPrMetrics).toBe(true);
    // cm1, the author's own, came first and was skipped.
    expect(explanation.activity).toEqual({ commits: 2, comments: 3, authorComments: 1, anonymousComments: 0 });
    expect(explanation.deploymentRule).toBe(
      'the only successful PRODUCTION deployment commit with a previous deployment whose range holds the merge commit',
    );
    const p2 = {
      ...range('p2', 'c5', 'PRODUCTION', 'SUCCESS', [dc('p1'), 'c2']),
      startedDate: isoAt(3, 11, 50),
      finishedDate: isoAt(3, 12),
    };
    expect(explanation.deployment).toEqual(p2);
    // c3 is also in the whole-history ranges of the failed p3 and the staging p5, which do not count.
    expect(explanation.ranges).toEqual([
      p2,
      {
        ...range('p3', 'c6', 'PRODUCTION', 'FAILURE', ['', '']),
        startedDate: isoAt(4, 0),
        finishedDate: isoAt(4, 0, 5),
      },
      { ...range('p5', 'c6', 'STAGING', 'SUCCESS', ['', '']), startedDate: isoAt(4, 11), finishedDate: isoAt(4, 12) },
    ]);
    expect(explanation.spans).toEqual({
      coding: {
        minutes: 1560,
        from: `first commit x1 authored ${isoAt(-1, 8, 0, 30)}`,
        to: `pull request created ${isoAt(0, 10)}`,
        reason: null,
      },
      pickup: {
        minutes: 121,
        from: `pull request created ${isoAt(0, 10)}`,
        to: `first review comment cm2 by u:bob at ${isoAt(0, 12, 0, 20)}`,
        reason: null,
      },
      review: {
        minutes: 2760,
        from: `first review comment cm2 by u:bob at ${isoAt(0, 12, 0, 20)}`,
        to: `pull request merged ${isoAt(2, 10)}`,
        reason: null,
      },
      deploy: {
        minutes: 1560,
        from: `pull request merged ${isoAt(2, 10)}`,
        to: `deployment commit ${dc('p2')} (PRODUCTION) finished ${isoAt(3, 12)}`,
        reason: null,
      },
      cycle: {
        minutes: 6000,
        from: `first commit x1 authored ${isoAt(-1, 8, 0, 30)}`,
        to: `deployment commit ${dc('p2')} (PRODUCTION) finished ${isoAt(3, 12)}; coding 1560 min + created → merged 2880 min + deploy 1560 min`,
        reason: null,
      },
    });
  });

  it('gives the precise reason of each missing span', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    const pr2 = await explain('pr2');
    expect(pr2.spans.coding.reason).toBe('the pull request has no commits in pull_request_commits');
    expect(pr2.spans.pickup.reason).toBe('no comment by anyone but the author (1 comment: 1 by the author u:alice)');
    expect(pr2.spans.review.reason).toBe(pr2.spans.pickup.reason);
    expect(pr2.spans.deploy.minutes).toBe(23 * 60);
    expect(pr2.spans.cycle.to).toContain('coding missing, counted as 0 + created → merged 1200 min + deploy 1380 min');
    const pr3 = await explain('pr3');
    expect(pr3.spans.coding).toMatchObject({
      minutes: null,
      reason: 'first commit y1 was authored after the pull request was created',
    });
    expect(pr3.spans.pickup.minutes).toBe(0);
    expect(pr3.spans.deploy.reason).toBe(
      `merge commit c2 is only in the range of deployment commit ${dc('p1')}, the first deployment of repo ${SHOP_REPO_URL} to PRODUCTION: it has no previous deployment, so its range is unknown`,
    );
    expect(pr3.deployment).toBeNull();
    expect(pr3.deploymentRule).toBeNull();
    const pr4 = await explain('pr4');
    expect(pr4.spans.coding.reason).toBe('the pull request has no created date');
    expect(pr4.spans.pickup.reason).toBe('the pull request has no created date');
    expect(pr4.spans.review.minutes).toBe(12 * 60);
    expect(pr4.spans.deploy.reason).toBe(
      "merge commit zz is in no successful PRODUCTION deployment's commit range; it is not in the project's commit graph",
    );
    const pr7 = await explain('pr7');
    expect(pr7.spans.pickup.reason).toBe('no comments on the pull request');
    expect(pr7.spans.deploy.reason).toBe(`deployment commit ${dc('p4')} finished before the merge`);
    expect(pr7.deployment?.deploymentCommitId).toBe(dc('p4'));
    expect(pr7.spans.cycle.minutes).toBe(30);
  });

  it('says a pull request is not merged, or not of the project, for every span', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    const pr5 = await explain('pr5');
    for (const span of Object.values(pr5.spans))
      expect(span).toEqual({
        minutes: null,
        from: null,
        to: null,
        reason: 'not merged (status OPEN): only merged pull requests have spans',
      });
    expect(pr5.inProjectPrMetrics).toBe(false);
    const pr6 = await explain('pr6');
    for (const span of Object.values(pr6.spans))
      expect(span.reason).toBe("its base repo repo:2 is not one of project shop's repos");
    expect(pr6.deployment).toBeNull();
  });

  it('explains a deployment that never finished, then ranges that do not count, then no deployments at all', async () => {
    await writeShopHistory(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    await lake.store.db
      .updateTable('cicd_deployment_commits')
      .set({ finished_date: null })
      .where('id', '=', dc('p4'))
      .execute();
    expect((await explain('pr2')).spans.deploy.reason).toBe(
      `deployment commit ${dc('p4')}, which deployed merge commit c6, has no finish date`,
    );
    await lake.store.db.deleteFrom('cicd_deployment_commits').where('id', '=', dc('p4')).execute();
    expect((await explain('pr2')).spans.deploy.reason).toBe(
      `merge commit c6 is in no successful PRODUCTION deployment's commit range; it is only in the ranges of ${dc('p3')} (PRODUCTION, FAILURE), ${dc('p5')} (STAGING, SUCCESS)`,
    );
    await lake.store.db.updateTable('pull_requests').set({ merge_commit_sha: '' }).where('id', '=', 'pr2').execute();
    expect((await explain('pr2')).spans.deploy.reason).toBe('the pull request has no merge commit sha');
    await lake.store.db.deleteFrom('cicd_deployment_commits').execute();
    expect((await explain('pr1')).spans.deploy.reason).toBe("the project's cicd scopes have no deployment commits");
  });

  it('says when the commit graph has no commits for the project', async () => {
    await writeProjects(lake.store);
    await writePipelines(lake.store);
    await writePullRequests(lake.store);
    await writeIssues(lake.store);
    await runMetrics(lake.store, { projectName: 'shop' });
    expect((await explain('pr1')).spans.deploy.reason).toBe("the commit graph has no commits for the project's repos");
  });

  it('refuses an unknown pull request, naming it', async () => {
    await writeShopHistory(lake.store);
    const error = await explain('pr404').catch((failure: unknown) => failure);
    expect(isLakeError(error) && error.code).toBe('PULL_REQUEST_UNKNOWN');
    expect((error as Error).message).toBe('[lake] [metrics-dora] pull request "pr404" is not in pull_requests');
  });
});
