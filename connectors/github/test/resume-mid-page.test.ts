import { createTestLake, type TestLake } from '@lake/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { type GithubFixture, githubFixture } from './fixture.js';

/**
 * A sync interrupted after some items of a page were committed, resumed: the listings that read
 * the page again (pull requests newest first; any oldest-first listing once it distrusts the
 * server's order) must skip what the interrupted run stored, or the raw layer holds those items
 * twice — unlike a sync that was never interrupted.
 */
describe('a sync interrupted in the middle of a page, resumed', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function interruptedThenResumed(
    fixture: GithubFixture,
    stream: string,
  ): Promise<{ lake: TestLake; interrupted: string }> {
    const lake = await createTestLake({ connector: githubConnector });
    cleanups.push(lake.close);
    // Small batches: commits fall inside the first page of 100.
    const context = { ...fixture.context, options: { batchSize: 7 } };
    const controller = new AbortController();
    let commits = 0;
    const interrupted = await lake.sync(context, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'stream-progress' && event.stream === stream && ++commits === 3)
          controller.abort(new Error('test interruption'));
      },
    });
    await lake.syncOrThrow(context);
    return { lake, interrupted: interrupted.status };
  }

  it('stores each pull request once (newest-first listing)', async () => {
    const fixture = await githubFixture({ issues: 2, pullRequests: 60, commentsPerIssue: 0, workflowRuns: 1 });
    cleanups.push(fixture.close);
    const { lake, interrupted } = await interruptedThenResumed(fixture, 'pull_requests');
    expect(interrupted).toBe('aborted');
    expect(await lake.count('_raw_github_pull_requests')).toBe(60);
    expect(await lake.count('pull_requests')).toBe(60);
  });

  it('stores each issue once when the server lists out of order (the distrusted read)', async () => {
    const fixture = await githubFixture({ issues: 60, pullRequests: 1, commentsPerIssue: 0, workflowRuns: 1 });
    cleanups.push(fixture.close);
    fixture.github.api.setHostility({ order: 'reversed' });
    const { lake, interrupted } = await interruptedThenResumed(fixture, 'issues');
    expect(interrupted).toBe('aborted');
    expect(await lake.count('_raw_github_issues')).toBe(60);
    expect(await lake.count('issues')).toBe(60);
  });
});
