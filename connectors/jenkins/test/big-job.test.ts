import { createTestLake } from '@lake/testkit';
import { afterEach, expect, it } from 'vitest';
import { jenkinsConnector } from '../src/index.js';
import { jenkinsDataset, jenkinsFixture } from './fixture.js';
import { timeBudget } from './time-budget.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

const BUILDS = 10_050;
const rangeRequests = (log: { query: string }[], fields: string) =>
  log.filter((request) => decodeURIComponent(request.query).startsWith(`?tree=allBuilds[${fields}`));

// A freestyle job with more than 10,001 builds: every one is listed by `{from,to}` ranges and
// read once; the next sync lists them again and reads none.
it(
  'syncs a job of more than 10,001 builds, then reads only the listing when nothing changed',
  async () => {
    const fixture = await jenkinsFixture(jenkinsDataset(3, { legacyBuilds: BUILDS }), { job: 'legacy' });
    const lake = await createTestLake({ connector: jenkinsConnector });
    closers.push(fixture.close, () => lake.close());
    const { api } = fixture.jenkins;

    await lake.syncOrThrow(fixture.context);
    expect(await lake.count('cicd_pipelines')).toBe(BUILDS);
    expect(await lake.count('cicd_tasks')).toBe(BUILDS);
    expect(await lake.count('cicd_pipeline_commits')).toBe(
      fixture.dataset.domainCounts('legacy').cicd_pipeline_commits,
    );
    // 0–1000, then 999–2000 … 9999–11000: eleven pages of the listing, 101 ranges of 100 builds.
    expect(rangeRequests(api.log, 'number,timestamp,building').length).toBe(11);
    expect(rangeRequests(api.log, '_class').length).toBe(101);

    const before = api.log.length;
    await lake.syncOrThrow(fixture.context);
    expect(rangeRequests(api.log.slice(before), 'number,timestamp,building').length).toBe(11);
    expect(rangeRequests(api.log.slice(before), '_class').length).toBe(0);
    expect(await lake.count('cicd_pipelines')).toBe(BUILDS);
  },
  timeBudget(300_000),
);

// The newest build deleted after the first page of the listing was served: every later build
// moves up one place, so the next range would start one build too far. The listing notices that
// the page does not reach back to what it read, reads one page earlier, and misses nothing.
it(
  'misses no build when a build is deleted while the listing is paged',
  async () => {
    const fixture = await jenkinsFixture(jenkinsDataset(3, { legacyBuilds: 2_500 }), { job: 'legacy' });
    const lake = await createTestLake({ connector: jenkinsConnector });
    closers.push(fixture.close, () => lake.close());
    const { dataset } = fixture;
    fixture.jenkins.api.setHostility({ whilePaging: () => dataset.deleteBuild('legacy', 2_500) });

    await lake.syncOrThrow(fixture.context);
    expect(await lake.count('cicd_pipelines')).toBe(2_499);
    expect(await lake.rows('cicd_pipelines', { id: 'jenkins:JenkinsBuild:1:legacy#1500' })).toHaveLength(1);
    expect(await lake.rows('cicd_pipelines', { id: 'jenkins:JenkinsBuild:1:legacy#2500' })).toHaveLength(0);
  },
  timeBudget(300_000),
);
