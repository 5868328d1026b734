/**
 * `commit-diffs` of @lake/metrics-dora on a synthetic history: a linear chain of `commits` commits
 * with a merge every 100 (so the walk follows two parents), 20 successful production deployments
 * evenly spaced along it, on a scratch database of one dialect. Measures the first run (every
 * range computed and written) and the rerun (every pair already finished: nothing to do).
 */

import { commitDiffsStep, METRICS_DORA_MIGRATIONS, MIGRATION_OWNER, previousDeploymentsStep } from '@lake/metrics-dora';
import { type DialectName, openStore, runMigrations, SDK_MIGRATIONS } from '@lake/sdk';
import { domainShape } from '@lake/sdk/store';
import { createScratchDatabase } from '@lake/sdk/testing';

const DEPLOYMENTS = 20;

export interface CommitDiffsMeasurement {
  dialect: DialectName;
  commits: number;
  edges: number;
  deployments: number;
  /** `commits_diffs` rows and finished pairs the first run wrote. */
  diffRows: number;
  finishedPairs: number;
  firstSeconds: number;
  /** What the rerun wrote (nothing: every pair is remembered as finished) and how long it took. */
  rerunDiffRows: number;
  rerunSeconds: number;
}

const sha = (index: number) => index.toString(16).padStart(40, '0');

export async function measureCommitDiffs(dialect: DialectName, commits: number): Promise<CommitDiffsMeasurement> {
  const scratch = await createScratchDatabase(dialect);
  const store = await openStore(scratch.url);
  try {
    await runMigrations(store, 'sdk', SDK_MIGRATIONS);
    await runMigrations(store, MIGRATION_OWNER, METRICS_DORA_MIGRATIONS);
    const edges = await writeHistory(store, commits);
    await previousDeploymentsStep(store, { projectName: 'big' });
    let started = performance.now();
    const first = await commitDiffsStep(store, { projectName: 'big' });
    const firstSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const rerun = await commitDiffsStep(store, { projectName: 'big' });
    const rerunSeconds = (performance.now() - started) / 1000;
    return {
      dialect,
      commits,
      edges,
      deployments: DEPLOYMENTS,
      diffRows: first.written.commits_diffs ?? 0,
      finishedPairs: first.written._tool_refdiff_finished_commits_diffs ?? 0,
      firstSeconds,
      rerunDiffRows: rerun.written.commits_diffs ?? 0,
      rerunSeconds,
    };
  } finally {
    await store.close();
    await scratch.drop();
  }
}

async function writeHistory(store: Awaited<ReturnType<typeof openStore>>, commits: number): Promise<number> {
  const writer = store.writer();
  await writer.upsert(domainShape('projects'), [{ name: 'big' }]);
  await writer.upsert(domainShape('project_mapping'), [
    { project_name: 'big', table: 'repos', row_id: 'repo' },
    { project_name: 'big', table: 'cicd_scopes', row_id: 'scope' },
  ]);
  const repoCommits: Record<string, unknown>[] = [];
  const edges: Record<string, unknown>[] = [];
  for (let index = 0; index < commits; index += 1) {
    repoCommits.push({ repo_id: 'repo', commit_sha: sha(index) });
    if (index > 0) edges.push({ commit_sha: sha(index), parent_commit_sha: sha(index - 1) });
    if (index > 2 && index % 100 === 0) edges.push({ commit_sha: sha(index), parent_commit_sha: sha(index - 3) });
  }
  await writer.upsert(domainShape('repo_commits'), repoCommits);
  await writer.upsert(domainShape('commit_parents'), edges);
  const spacing = Math.max(1, Math.floor(commits / DEPLOYMENTS));
  await writer.upsert(
    domainShape('cicd_deployment_commits'),
    Array.from({ length: DEPLOYMENTS }, (_, position) => ({
      id: `p${position + 1}:url`,
      commit_sha: sha(Math.min(commits - 1, (position + 1) * spacing - 1)),
      cicd_scope_id: 'scope',
      cicd_deployment_id: `p${position + 1}`,
      result: 'SUCCESS',
      environment: 'PRODUCTION',
      repo_url: 'url',
      finished_date: new Date(Date.UTC(2026, 0, position + 1)),
    })),
  );
  return edges.length;
}
