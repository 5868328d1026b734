import { createTestLake, type TestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { jenkinsConnector } from '../src/index.js';
import { APP_REPO, INFRA_REPO } from './fake-jenkins/dataset.js';
import { DEPLOY_JOB, jenkinsDataset, jenkinsFixture, SERVICE_JOB } from './fixture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function setup(job = DEPLOY_JOB, builds = 12, scopeConfig: Record<string, unknown> = {}) {
  const fixture = await jenkinsFixture(jenkinsDataset(builds), { job, scopeConfig });
  const lake: TestLake = await createTestLake({ connector: jenkinsConnector });
  closers.push(fixture.close, () => lake.close());
  return { ...fixture, lake };
}

const TABLES = ['cicd_scopes', 'cicd_pipelines', 'cicd_tasks', 'cicd_pipeline_commits'];
const countsOf = async (lake: TestLake) =>
  Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await lake.count(table)] as const)));
const buildId = (job: string, number: number) => `jenkins:JenkinsBuild:1:${job}#${number}`;

describe('a Jenkins job synced into the lake', () => {
  it('writes builds, stages and built revisions with DevLake ids and the counts the source holds', async () => {
    const { lake, context, dataset } = await setup();
    await lake.syncOrThrow(context);
    expect(await countsOf(lake)).toEqual(dataset.domainCounts(DEPLOY_JOB));
    const scopeId = `jenkins:JenkinsJob:1:${DEPLOY_JOB}`;
    expect(await lake.rows('cicd_scopes')).toMatchObject([{ id: scopeId, name: DEPLOY_JOB }]);

    // Build 1 succeeded; every stage name matching "deploy" is a production deployment task.
    const id = buildId(DEPLOY_JOB, 1);
    expect(await lake.rows('cicd_pipelines', { id })).toMatchObject([
      { name: `${DEPLOY_JOB}#1`, result: 'SUCCESS', status: 'DONE', type: 'DEPLOYMENT', cicd_scope_id: scopeId },
    ]);
    const tasks = await lake.rows('cicd_tasks', { pipeline_id: id });
    expect(tasks.map((task) => task.id).sort()).toEqual(
      ['6', '13', '20', '27'].map((stage) => `jenkins:JenkinsStage:1:${DEPLOY_JOB}#1:${stage}`).sort(),
    );
    expect(tasks.find((task) => task.name === 'Deploy to production')).toMatchObject({
      type: 'DEPLOYMENT',
      environment: 'PRODUCTION',
      result: 'SUCCESS',
      duration_sec: 55,
    });
    // Build 3 failed its tests; build 5 was aborted: both FAILURE, as DevLake maps them.
    expect(await lake.rows('cicd_pipelines', { id: buildId(DEPLOY_JOB, 3) })).toMatchObject([{ result: 'FAILURE' }]);
    expect(await lake.rows('cicd_pipelines', { id: buildId(DEPLOY_JOB, 5) })).toMatchObject([{ result: 'FAILURE' }]);
    // The two newest are running.
    expect(await lake.rows('cicd_pipelines', { id: buildId(DEPLOY_JOB, 12) })).toMatchObject([
      { status: 'IN_PROGRESS', result: '', finished_date: null },
    ]);
    // Build 10 checked out two repositories: a pipeline commit each, with its repo URL.
    const commits = await lake.rows('cicd_pipeline_commits', { pipeline_id: buildId(DEPLOY_JOB, 10) });
    expect(commits.map((commit) => commit.repo_url).sort()).toEqual([APP_REPO, INFRA_REPO]);
    const built = dataset.job(DEPLOY_JOB).builds[9]!.revisions[0]!;
    expect(commits.find((commit) => commit.repo_url === APP_REPO)).toMatchObject({
      commit_sha: built.sha,
      branch: 'main',
      commit_msg: built.message,
    });
  });

  it('reads only new and running builds on the next sync, and follows deletions and a job created again', async () => {
    const { lake, context, dataset, jenkins } = await setup();
    await lake.syncOrThrow(context);
    dataset.finishRunning(DEPLOY_JOB);
    dataset.startBuild(DEPLOY_JOB);
    dataset.deleteBuild(DEPLOY_JOB, 4);
    dataset.deleteBuild(DEPLOY_JOB, 7);
    const before = jenkins.api.log.length;
    await lake.syncOrThrow(context);
    expect(await countsOf(lake)).toEqual(dataset.domainCounts(DEPLOY_JOB));
    expect(await lake.rows('cicd_pipelines', { id: buildId(DEPLOY_JOB, 4) })).toEqual([]);
    expect(await lake.rows('cicd_tasks', { pipeline_id: buildId(DEPLOY_JOB, 7) })).toEqual([]);
    expect(await lake.rows('cicd_pipelines', { id: buildId(DEPLOY_JOB, 12) })).toMatchObject([{ status: 'DONE' }]);
    // The details asked for: builds 11 and 12 (were running) and 13 (new), one range; their stages.
    const ranges = jenkins.api.log.slice(before).filter((request) => request.query.includes('actions'));
    expect(
      ranges.map((request) =>
        decodeURIComponent(request.query)
          .match(/\{(\d+),(\d+)\}/)
          ?.slice(1),
      ),
    ).toEqual([['0', '3']]);
    expect(jenkins.api.log.slice(before).filter((request) => request.path.endsWith('/wfapi/describe')).length).toBe(3);

    // The job deleted and created again: numbering starts over, old builds go, new ones come.
    dataset.recreate(DEPLOY_JOB, 3);
    await lake.syncOrThrow(context);
    expect(await countsOf(lake)).toEqual(dataset.domainCounts(DEPLOY_JOB));
    const [first] = await lake.rows('cicd_pipelines', { id: buildId(DEPLOY_JOB, 1) });
    expect(new Date(String(first!.started_date)).getTime()).toBe(dataset.job(DEPLOY_JOB).builds[0]!.timestamp);
  });

  it('syncs every branch job of a multibranch pipeline, and drops a deleted branch', async () => {
    const { lake, context, dataset } = await setup(SERVICE_JOB);
    await lake.syncOrThrow(context);
    expect(await countsOf(lake)).toEqual(dataset.domainCounts(SERVICE_JOB));
    expect(await lake.count('cicd_pipelines')).toBe(6);
    const branch = `${SERVICE_JOB}/feature%2Flogin`;
    expect(await lake.rows('cicd_pipelines', { id: buildId(branch, 2) })).toMatchObject([
      { cicd_scope_id: `jenkins:JenkinsJob:1:${SERVICE_JOB}` },
    ]);
    const service = dataset.job(SERVICE_JOB);
    service.children = service.children.filter((child) => child !== branch);
    await lake.syncOrThrow(context);
    expect(await lake.count('cicd_pipelines')).toBe(4);
    expect(await countsOf(lake)).toEqual(dataset.domainCounts(SERVICE_JOB));
  });

  it('stays exact through the kit’s faults: 502 bursts, a truncated body, a reset connection, a 429', async () => {
    const { lake, context, dataset, jenkins } = await setup();
    jenkins.api
      .fault({ match: { path: /api\/json$/ }, after: 1, times: 3, kind: { type: 'status', status: 502 } })
      .fault({ match: { path: /wfapi/ }, after: 2, times: 1, kind: { type: 'truncate' } })
      .fault({ match: { path: /wfapi/ }, after: 4, times: 1, kind: { type: 'reset' } })
      .fault({ after: 6, times: 1, kind: { type: 'rate-limit', status: 429, retryAfterSeconds: 1 } });
    await lake.syncOrThrow(context);
    expect(await countsOf(lake)).toEqual(dataset.domainCounts(DEPLOY_JOB));
    expect(jenkins.api.log.filter((request) => request.fault !== undefined).length).toBe(6);
  });

  it('leaves out builds started before timeAfter', async () => {
    const { lake, context, dataset } = await setup(DEPLOY_JOB, 12, {
      timeAfter: new Date(startOfBuild(8)).toISOString(),
    });
    await lake.syncOrThrow(context);
    expect(await lake.count('cicd_pipelines')).toBe(dataset.job(DEPLOY_JOB).builds.filter((b) => b.number >= 8).length);
  });
});

/** Builds of `app/deploy` start an hour apart from 2026-01-05 08:00 UTC, the first at 09:00. */
function startOfBuild(number: number): number {
  return Date.parse('2026-01-05T08:00:00Z') + number * 3_600_000;
}
