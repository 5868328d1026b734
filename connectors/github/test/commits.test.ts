import type { LogEntry } from '@lake/sdk';
import { createScratchDatabase, createTestLake, type TestLake, testDialects } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import type { DatasetSizes } from './fake-github/dataset.js';
import { reachableFrom } from './fake-github/queries.js';
import { type GithubFixture, githubFixture } from './fixture.js';

const SIZES: DatasetSizes = {
  issues: 2,
  pullRequests: 5,
  commentsPerIssue: 0,
  commits: 6,
  workflowRuns: 1,
  deployments: 0,
};

describe.each(testDialects())('commits of the default branch (%s)', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(sizes: DatasetSizes = SIZES): Promise<{ fixture: GithubFixture; lake: TestLake }> {
    const fixture = await githubFixture(sizes);
    const database = await createScratchDatabase(dialect);
    const lake = await createTestLake({ connector: githubConnector, url: database.url });
    cleanups.push(fixture.close, database.drop, lake.close);
    return { fixture, lake };
  }
  const commitRequests = (fixture: GithubFixture, since: number) =>
    fixture.github.api.log
      .slice(since)
      .map((record) => record.path)
      .filter((path) => /\/(commits|compare\/[^/]+|branches\/[^/]+)$/.test(path));

  it('the next incremental sync collects the commits a merge brings in, though they are older than the last sync', async () => {
    const { fixture, lake } = await setup();
    const { dataset } = fixture;
    await lake.syncOrThrow(fixture.context);
    const open = dataset.pullRequestNumbers().find((number) => dataset.issue(number)!.state === 'open')!;
    const brought = dataset.issue(open)!.pull!.commits.map((commit) => commit.sha);
    const lastHead = dataset.commits.at(-1)!.sha;
    dataset.touchPullRequest(open, { merged: true });
    const newHead = dataset.commits.at(-1)!.sha;
    const before = fixture.github.api.log.length;
    await lake.syncOrThrow(fixture.context, { streams: ['repository', 'commits'] });

    const shas = new Set((await lake.rows('commits')).map((row) => String(row.sha)));
    for (const sha of brought) expect(shas.has(sha), `commit ${sha} of the merged pull request`).toBe(true);
    expect(await lake.count('commits')).toBe(dataset.domainCounts().commits);
    expect(await lake.count('repo_commits')).toBe(dataset.domainCounts().commits);
    // Only what the new head reaches and the last one did not was asked for.
    expect(commitRequests(fixture, before)).toEqual([
      `/repos/${dataset.fullName}/branches/main`,
      `/repos/${dataset.fullName}/compare/${lastHead}...${newHead}`,
    ]);
  });

  it('asks for no listing at all when the branch has not moved', async () => {
    const { fixture, lake } = await setup();
    await lake.syncOrThrow(fixture.context);
    const before = fixture.github.api.log.length;
    const result = await lake.syncOrThrow(fixture.context, { streams: ['repository', 'commits'] });
    expect(result.streams.find((stream) => stream.name === 'commits')?.records).toBe(0);
    expect(commitRequests(fixture, before)).toEqual([`/repos/${fixture.dataset.fullName}/branches/main`]);
  });

  it('reads the whole history again, with a warning, when the last head was force-pushed away', async () => {
    const { fixture, lake } = await setup();
    const { dataset } = fixture;
    await lake.syncOrThrow(fixture.context);
    const collected = (await lake.rows('commits')).map((row) => String(row.sha));
    dataset.rewriteBranch(2);
    dataset.pushCommits(3);
    const reachable = reachableFrom(dataset, dataset.commits.at(-1)!).map((commit) => commit.sha);
    const logs: LogEntry[] = [];
    await lake.syncOrThrow(fixture.context, {
      streams: ['repository', 'commits'],
      logSink: (entry) => logs.push(entry),
    });
    // Everything the new head reaches; what the rewrite left behind stays until a full sync finds it gone.
    const shas = (await lake.rows('commits')).map((row) => String(row.sha)).sort();
    expect(shas).toEqual([...new Set([...collected, ...reachable])].sort());
    expect(logs.some((entry) => entry.level === 'warn' && /force-pushed/.test(String(entry.message)))).toBe(true);
    await lake.syncOrThrow(fixture.context, { full: true });
    expect(await lake.count('commits')).toBe(dataset.domainCounts().commits);
  });

  it('an empty repository has no commits to collect, and is no failure', async () => {
    const { fixture, lake } = await setup({
      issues: 1,
      pullRequests: 0,
      commentsPerIssue: 0,
      commits: 0,
      workflowRuns: 0,
      deployments: 0,
    });
    const result = await lake.syncOrThrow(fixture.context, { streams: ['repository', 'commits'] });
    expect(result.streams.find((stream) => stream.name === 'commits')?.records).toBe(0);
    expect(await lake.count('commits')).toBe(0);
  });
});
