import { testDialects } from '@lake/sdk/testing';
import { describe, expect, it } from 'vitest';
import { runMetrics } from '../src/index.js';
import { putRows } from './support/lake-rows.js';
import { useScratchLake } from './support/scratch-lake.js';
import { EDGES, writeCommitGraph, writePipelines, writeProjects } from './support/shop-history.js';

describe.each(testDialects())('commit ranges over incomplete history on %s', (dialect) => {
  const lake = useScratchLake(dialect);

  async function ranges(): Promise<Record<string, string[]>> {
    const rows = await lake.store.db
      .selectFrom('commits_diffs')
      .select(['new_commit_sha', 'old_commit_sha', 'commit_sha'])
      .orderBy('new_commit_sha')
      .orderBy('old_commit_sha')
      .orderBy('sorting_index')
      .execute();
    const result: Record<string, string[]> = {};
    for (const row of rows) {
      const key = `${row.new_commit_sha}..${row.old_commit_sha}`;
      result[key] = [...(result[key] ?? []), String(row.commit_sha)];
    }
    return result;
  }

  it('computes a range again once the git history it lacked has arrived', async () => {
    await writeProjects(lake.store);
    await writePipelines(lake.store);
    // Only c5's first parent so far: c4 and the commits below c2 are missing.
    await writeCommitGraph(lake.store, [['c5', 'c3']]);
    await runMetrics(lake.store, { projectName: 'shop' });
    expect(await ranges()).toEqual({
      'c2..': ['c2'],
      'c5..c2': ['c5', 'c3'],
      'c6..': ['c6'],
      'c7..c5': ['c7'],
    });
    const finishedBefore = await lake.store.db.selectFrom('_tool_refdiff_finished_commits_diffs').selectAll().execute();
    expect(finishedBefore).toEqual([]);

    await writeCommitGraph(lake.store, EDGES);
    await runMetrics(lake.store, { projectName: 'shop', steps: ['commit-diffs'] });
    expect(await ranges()).toEqual({
      'c2..': ['c2', 'c1'],
      'c5..c2': ['c5', 'c3', 'c4'],
      'c6..': ['c6', 'c5', 'c3', 'c2', 'c1', 'c4'],
      'c7..c5': ['c7', 'c6'],
    });
    const finished = await lake.store.db.selectFrom('_tool_refdiff_finished_commits_diffs').selectAll().execute();
    expect(finished).toHaveLength(4);
  });

  it('links nothing and writes nothing for a project without scopes', async () => {
    await writeProjects(lake.store);
    await putRows(lake.store, 'project_mapping', [{ project_name: 'empty', table: 'repos', row_id: 'repo:none' }]);
    const reports = await runMetrics(lake.store, { projectName: 'empty' });
    for (const report of reports) {
      for (const count of Object.values(report.written)) expect(count, report.step).toBe(0);
    }
  });
});
