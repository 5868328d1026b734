/**
 * How long `commit-diffs` takes on a 100,000-commit history (a merge every 100 commits) with 20
 * production deployments 5,000 commits apart, on a scratch database, and how long the rerun
 * takes once every pair is finished. A measurement, not a test: nothing is asserted.
 *
 *   pnpm --filter @lake/metrics-dora build
 *   node packages/metrics-dora/scripts/measure-commit-diffs.ts [sqlite|postgres|mysql]
 */
import { openStore, runMigrations, SDK_MIGRATIONS } from '@lake/sdk';
import { domainShape } from '@lake/sdk/store';
import { createScratchDatabase } from '@lake/sdk/testing';
import { commitDiffsStep, METRICS_DORA_MIGRATIONS, MIGRATION_OWNER, previousDeploymentsStep } from '../dist/index.js';

const COMMITS = 100_000;
const DEPLOYMENTS = 20;

const sha = (index: number) => index.toString(16).padStart(40, '0');

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres' | 'mysql';
const scratch = await createScratchDatabase(dialect);
const store = await openStore(scratch.url);
try {
  await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  await runMigrations(store, MIGRATION_OWNER, METRICS_DORA_MIGRATIONS);
  const writer = store.writer();
  await writer.upsert(domainShape('project_mapping'), [
    { project_name: 'big', table: 'repos', row_id: 'repo' },
    { project_name: 'big', table: 'cicd_scopes', row_id: 'scope' },
  ]);
  const repoCommits: Record<string, unknown>[] = [];
  const edges: Record<string, unknown>[] = [];
  for (let index = 0; index < COMMITS; index += 1) {
    repoCommits.push({ repo_id: 'repo', commit_sha: sha(index) });
    if (index > 0) edges.push({ commit_sha: sha(index), parent_commit_sha: sha(index - 1) });
    if (index > 2 && index % 100 === 0) edges.push({ commit_sha: sha(index), parent_commit_sha: sha(index - 3) });
  }
  await writer.upsert(domainShape('repo_commits'), repoCommits);
  await writer.upsert(domainShape('commit_parents'), edges);
  const deployments = Array.from({ length: DEPLOYMENTS }, (_, position) => ({
    id: `p${position + 1}:url`,
    commit_sha: sha(((position + 1) * COMMITS) / DEPLOYMENTS - 1),
    cicd_scope_id: 'scope',
    cicd_deployment_id: `p${position + 1}`,
    result: 'SUCCESS',
    environment: 'PRODUCTION',
    repo_url: 'url',
    finished_date: new Date(Date.UTC(2026, 0, position + 1)),
  }));
  await writer.upsert(domainShape('cicd_deployment_commits'), deployments);
  await previousDeploymentsStep(store, { projectName: 'big' });
  let started = performance.now();
  const first = await commitDiffsStep(store, { projectName: 'big' });
  const firstMs = Math.round(performance.now() - started);
  started = performance.now();
  const rerun = await commitDiffsStep(store, { projectName: 'big' });
  const rerunMs = Math.round(performance.now() - started);
  process.stdout.write(
    `${JSON.stringify({ dialect, commits: COMMITS, edges: edges.length, first: first.written, firstMs, rerun: rerun.written, rerunMs })}\n`,
  );
} finally {
  await store.close();
  await scratch.drop();
}
