import type { LakeKysely } from '@lake/sdk';
import { commitShasById, type DeploymentCommit, previousCommitShas } from './deployment-commit-rows.js';
import { chunks } from './values.js';

/** A deployment commit whose `commits_diffs` range (its commit back to `oldSha`, '' when it has no previous one) holds a commit. */
export interface ContainingRange {
  deploymentCommit: DeploymentCommit;
  oldSha: string;
}

/**
 * Per commit sha, the ranges of the given deployment commits (any result or environment) whose
 * `commits_diffs` rows contain it, in deployment-commit order. A commit in no range is absent.
 */
export async function rangesContaining(
  db: LakeKysely,
  deploymentCommits: readonly DeploymentCommit[],
  shas: readonly string[],
): Promise<Map<string, ContainingRange[]>> {
  const shasById = commitShasById(deploymentCommits);
  const byPair = new Map<string, ContainingRange[]>();
  for (const deploymentCommit of deploymentCommits)
    for (const oldSha of previousCommitShas(deploymentCommit, shasById)) {
      const key = pairKey(deploymentCommit.commitSha, oldSha);
      byPair.set(key, [...(byPair.get(key) ?? []), { deploymentCommit, oldSha }]);
    }
  const found = new Map<string, ContainingRange[]>();
  const wanted = [...new Set(shas.filter((sha) => sha !== ''))];
  if (byPair.size === 0) return found;
  for (const batch of chunks(wanted)) {
    const rows = await db
      .selectFrom('commits_diffs')
      .select(['commit_sha', 'new_commit_sha', 'old_commit_sha'])
      .where('commit_sha', 'in', batch)
      .orderBy('new_commit_sha')
      .orderBy('old_commit_sha')
      .execute();
    for (const row of rows) {
      const ranges = byPair.get(pairKey(String(row.new_commit_sha), String(row.old_commit_sha)));
      if (!ranges) continue;
      const sha = String(row.commit_sha);
      found.set(sha, [...(found.get(sha) ?? []), ...ranges]);
    }
  }
  return found;
}

/** Whether a range can deploy a pull request (§2.5.5): a successful PRODUCTION deployment commit with a previous one. */
export function isCandidate(range: ContainingRange): boolean {
  const commit = range.deploymentCommit;
  return commit.environment === 'PRODUCTION' && commit.result === 'SUCCESS' && commit.previousId !== '';
}

/** A successful PRODUCTION deployment commit without a previous one: its range is unknown, it deploys nothing. */
export function isFirstDeployment(range: ContainingRange): boolean {
  const commit = range.deploymentCommit;
  return commit.environment === 'PRODUCTION' && commit.result === 'SUCCESS' && commit.previousId === '';
}

function pairKey(newSha: string, oldSha: string): string {
  return `${newSha}\u0000${oldSha}`;
}
