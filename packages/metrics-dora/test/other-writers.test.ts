import { testDialects } from '@lake/sdk/testing';
import { describe, expect, it } from 'vitest';
import { runMetrics } from '../src/index.js';
import { putRows } from './support/lake-rows.js';
import { useScratchLake } from './support/scratch-lake.js';
import { at, writeCommitGraph } from './support/shop-history.js';

const URL = 'https://git.example.org/hook.git';

describe.each(testDialects())('deployment commits another writer made, on %s', (dialect) => {
  const lake = useScratchLake(dialect);

  /**
   * A webhook wrote the deployment commits itself (no pipelines): w1 ships c2, w2 ships c5.
   * w3 also ships c5 but has no dates and a previous id the webhook set; previous-deployments
   * does not touch it (no finish date), so it stays a candidate for the range c5..c2.
   */
  async function writeHistory(): Promise<void> {
    await putRows(lake.store, 'project_mapping', [
      { project_name: 'hook', table: 'repos', row_id: 'repo:1' },
      { project_name: 'hook', table: 'cicd_scopes', row_id: 'scope:h' },
    ]);
    await writeCommitGraph(lake.store);
    const row = (id: string, commit_sha: string, dates: Record<string, unknown>, previous = '') => ({
      id: `${id}:${URL}`,
      commit_sha,
      cicd_scope_id: 'scope:h',
      cicd_deployment_id: id,
      result: 'SUCCESS',
      environment: 'PRODUCTION',
      repo_url: URL,
      prev_success_deployment_commit_id: previous,
      subtask_name: 'webhook',
      ...dates,
    });
    await putRows(lake.store, 'cicd_deployment_commits', [
      row('w1', 'c2', { started_date: at(1), finished_date: at(1) }),
      row('w2', 'c5', { started_date: at(3), finished_date: at(3, 1) }),
      row('w3', 'c5', { started_date: null, finished_date: null }, `w1:${URL}`),
    ]);
    await putRows(lake.store, 'pull_requests', [
      { id: 'pr', base_repo_id: 'repo:1', merge_commit_sha: 'c3', created_date: at(2), merged_date: at(2, 1) },
    ]);
  }

  it('keeps their rows, chains them, and lets the undated candidate win without falling back', async () => {
    await writeHistory();
    await runMetrics(lake.store, { projectName: 'hook' });
    const rows = await lake.store.db
      .selectFrom('cicd_deployment_commits')
      .select(['id', 'prev_success_deployment_commit_id'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: `w1:${URL}`, prev_success_deployment_commit_id: '' },
      { id: `w2:${URL}`, prev_success_deployment_commit_id: `w1:${URL}` },
      { id: `w3:${URL}`, prev_success_deployment_commit_id: `w1:${URL}` },
    ]);
    // w2 and w3 both shipped c3 (range c5..c2); w3's missing start sorts first, as on MySQL,
    // and without a finish it gives the PR no deployment at all, not w2's.
    const metrics = await lake.store.db
      .selectFrom('project_pr_metrics')
      .select(['id', 'deployment_commit_id', 'pr_deploy_time', 'pr_deployed_date'])
      .execute();
    expect(metrics).toEqual([{ id: 'pr', deployment_commit_id: '', pr_deploy_time: null, pr_deployed_date: null }]);
  });

  it('gives the PR the dated deployment once the undated one is gone', async () => {
    await writeHistory();
    await lake.store.db.deleteFrom('cicd_deployment_commits').where('cicd_deployment_id', '=', 'w3').execute();
    await runMetrics(lake.store, { projectName: 'hook' });
    const metrics = await lake.store.db
      .selectFrom('project_pr_metrics')
      .select(['id', 'deployment_commit_id', 'pr_deploy_time'])
      .execute();
    // Merged day 2 01:00, w2 finished day 3 01:00.
    expect(metrics.map((row) => ({ ...row, pr_deploy_time: Number(row.pr_deploy_time) }))).toEqual([
      { id: 'pr', deployment_commit_id: `w2:${URL}`, pr_deploy_time: 24 * 60 },
    ]);
  });
});
