import type { SyncResult } from '@lake/sdk';
import { createScratchDatabase, createTestLake, testDialects } from '@lake/testkit';
import { describe, expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { githubFixture } from './fixture.js';

const DAY = 24 * 3_600_000;

const recordsOf = (result: SyncResult) =>
  Object.fromEntries(result.streams.map((stream) => [stream.name, stream.records]));

describe.each(testDialects())('workflow runs synced again (%s)', (dialect) => {
  it('never collects an unchanged run again nor reads its jobs; reads the jobs of a run that changed', async () => {
    // Runs of ten days ago, one of them still going: older than a week, younger than GitHub's 35-day run limit.
    const fixture = await githubFixture(
      { issues: 2, pullRequests: 1, commentsPerIssue: 0, workflowRuns: 150, jobsPerRun: 2, deployments: 0 },
      { dataset: { start: new Date(Date.now() - 10 * DAY), runsInProgress: [20] } },
    );
    const database = await createScratchDatabase(dialect);
    const lake = await createTestLake({ connector: githubConnector, url: database.url });
    const { api } = fixture.github;
    const jobRequestsSince = (start: number) =>
      api.log
        .slice(start)
        .filter((record) => record.path.endsWith('/jobs'))
        .map((record) => record.path);
    try {
      await lake.syncOrThrow(fixture.context);
      expect(await lake.count('cicd_pipelines')).toBe(150);
      expect(await lake.count('cicd_tasks')).toBe(300);

      // The run still going holds the window open, so the listing shows 130 runs again: none of them changed.
      let start = api.log.length;
      const unchanged = await lake.syncOrThrow(fixture.context);
      expect(recordsOf(unchanged)).toMatchObject({ workflow_runs: 0, workflow_jobs: 0 });
      expect(jobRequestsSince(start)).toEqual([]);

      const runId = fixture.dataset.runIds()[20]!;
      fixture.dataset.completeRun(runId, 'failure');
      start = api.log.length;
      const changed = await lake.syncOrThrow(fixture.context);
      expect(recordsOf(changed)).toMatchObject({ workflow_runs: 1, workflow_jobs: 2 });
      expect(jobRequestsSince(start)).toEqual([`/repos/${fixture.dataset.fullName}/actions/runs/${runId}/jobs`]);
      const pipeline = (
        await lake.rows('cicd_pipelines', { id: `github:GithubRun:1:${fixture.dataset.repoId}:${runId}` })
      )[0];
      expect(pipeline).toMatchObject({ status: 'DONE', result: 'FAILURE' });
      const tasks = await lake.rows('cicd_tasks', { pipeline_id: pipeline?.id });
      expect(tasks.map((task) => task.status)).toEqual(['DONE', 'DONE']);

      // And once every run has finished, a sync collects nothing again.
      start = api.log.length;
      const settled = await lake.syncOrThrow(fixture.context);
      expect(recordsOf(settled)).toMatchObject({ workflow_runs: 0, workflow_jobs: 0 });
      expect(jobRequestsSince(start)).toEqual([]);
    } finally {
      await lake.close();
      await database.drop();
      await fixture.close();
    }
  });
});
