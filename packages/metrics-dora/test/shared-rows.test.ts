import { testDialects } from '@lake/sdk/testing';
import { describe, expect, it } from 'vitest';
import { runMetrics } from '../src/index.js';
import { putRows } from './support/lake-rows.js';
import { useScratchLake } from './support/scratch-lake.js';
import { at, writeCommitGraph } from './support/shop-history.js';

const URL = 'https://git.example.org/app.git';

describe.each(testDialects())('rows shared between deployments and projects on %s', (dialect) => {
  const lake = useScratchLake(dialect);

  /**
   * Projects `app` and `platform` both map repo:1 (the shop commit graph) and scope:1. q1
   * deploys c2; q2 lists two commits of the same repository, c5 and c6, so its two deployment
   * commits share the id `q2:<url>`.
   */
  async function writeHistory(): Promise<void> {
    const mapping = (project: string) => [
      { project_name: project, table: 'repos', row_id: 'repo:1' },
      { project_name: project, table: 'cicd_scopes', row_id: 'scope:1' },
    ];
    await putRows(lake.store, 'project_mapping', [...mapping('app'), ...mapping('platform')]);
    await writeCommitGraph(lake.store);
    const pipeline = (id: string, finished: Date) => ({
      id,
      cicd_scope_id: 'scope:1',
      type: 'DEPLOYMENT',
      result: 'SUCCESS',
      environment: 'PRODUCTION',
      started_date: finished,
      finished_date: finished,
    });
    await putRows(lake.store, 'cicd_pipelines', [pipeline('q1', at(1)), pipeline('q2', at(3))]);
    await putRows(lake.store, 'cicd_pipeline_commits', [
      { pipeline_id: 'q1', commit_sha: 'c2', repo_url: URL },
      { pipeline_id: 'q2', commit_sha: 'c5', repo_url: URL },
      { pipeline_id: 'q2', commit_sha: 'c6', repo_url: URL },
    ]);
    await putRows(lake.store, 'pull_requests', [
      { id: 'pr-side', base_repo_id: 'repo:1', merge_commit_sha: 'c4', created_date: at(2), merged_date: at(2, 1) },
      { id: 'pr-top', base_repo_id: 'repo:1', merge_commit_sha: 'c6', created_date: at(2), merged_date: at(2, 2) },
    ]);
  }

  it('chains the second row of a shared id to its own id and ranges it from both of its commits', async () => {
    await writeHistory();
    await runMetrics(lake.store, { projectName: 'app' });
    const commits = await lake.store.db
      .selectFrom('cicd_deployment_commits')
      .select(['id', 'commit_sha', 'prev_success_deployment_commit_id'])
      .orderBy('id')
      .orderBy('commit_sha')
      .execute();
    expect(commits).toEqual([
      { id: `q1:${URL}`, commit_sha: 'c2', prev_success_deployment_commit_id: '' },
      { id: `q2:${URL}`, commit_sha: 'c5', prev_success_deployment_commit_id: `q1:${URL}` },
      { id: `q2:${URL}`, commit_sha: 'c6', prev_success_deployment_commit_id: `q2:${URL}` },
    ]);
    const finished = await lake.store.db
      .selectFrom('_tool_refdiff_finished_commits_diffs')
      .selectAll()
      .orderBy('new_commit_sha')
      .orderBy('old_commit_sha')
      .execute();
    // c6's previous id names two rows (c5 and c6 itself): two pairs, the second empty.
    expect(finished.map((row) => `${row.new_commit_sha}..${row.old_commit_sha}`)).toEqual([
      'c2..',
      'c5..c2',
      'c6..c5',
      'c6..c6',
    ]);
    const metrics = await lake.store.db
      .selectFrom('project_pr_metrics')
      .select(['id', 'deployment_commit_id'])
      .orderBy('id')
      .execute();
    expect(metrics).toEqual([
      { id: 'pr-side', deployment_commit_id: `q2:${URL}` },
      { id: 'pr-top', deployment_commit_id: `q2:${URL}` },
    ]);
  });

  it('keeps one row per project for a pull request of two projects, each rebuilt on its own', async () => {
    await writeHistory();
    await runMetrics(lake.store, { projectName: 'app' });
    await runMetrics(lake.store, { projectName: 'platform' });
    const second = await runMetrics(lake.store, { projectName: 'app', steps: ['change-lead-time'] });
    expect(second[0]!.deleted).toEqual({ project_pr_metrics: 2 });
    const rows = await lake.store.db
      .selectFrom('project_pr_metrics')
      .select(['id', 'project_name'])
      .orderBy('project_name')
      .orderBy('id')
      .execute();
    expect(rows.map((row) => `${row.project_name}/${row.id}`)).toEqual([
      'app/pr-side',
      'app/pr-top',
      'platform/pr-side',
      'platform/pr-top',
    ]);
  });
});
