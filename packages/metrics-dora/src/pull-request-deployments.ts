import type { LakeKysely } from '@lake/sdk';
import { commitShasById, type DeploymentCommit, previousCommitShas } from './deployment-commit-rows.js';
import { chunks, compareDates, compareText } from './values.js';

/**
 * Which deployment commit deployed each merge commit: among the successful PRODUCTION
 * deployment commits that have a previous deployment, those whose `commits_diffs` range
 * (their commit back to the previous one's) holds the merge commit; the earliest
 * `started_date` (NULL first, as on MySQL) wins, then the smallest id.
 *
 * Returns merge sha → the winning deployment commit.
 */
export async function deploymentsOfMergeCommits(
  db: LakeKysely,
  deploymentCommits: readonly DeploymentCommit[],
  mergeShas: readonly string[],
): Promise<Map<string, DeploymentCommit>> {
  const shasById = commitShasById(deploymentCommits);
  const candidatesByPair = new Map<string, DeploymentCommit[]>();
  for (const commit of deploymentCommits) {
    if (commit.environment !== 'PRODUCTION' || commit.result !== 'SUCCESS' || commit.previousId === '') continue;
    for (const oldSha of previousCommitShas(commit, shasById)) {
      const key = pairKey(commit.commitSha, oldSha);
      candidatesByPair.set(key, [...(candidatesByPair.get(key) ?? []), commit]);
    }
  }
  const winners = new Map<string, DeploymentCommit>();
  const wanted = [...new Set(mergeShas.filter((sha) => sha !== ''))];
  if (candidatesByPair.size === 0 || wanted.length === 0) return winners;
  for (const shas of chunks(wanted)) {
    const ranges = await db
      .selectFrom('commits_diffs')
      .select(['commit_sha', 'new_commit_sha', 'old_commit_sha'])
      .where('commit_sha', 'in', shas)
      .execute();
    for (const range of ranges) {
      const mergeSha = String(range.commit_sha);
      for (const candidate of candidatesByPair.get(
        pairKey(String(range.new_commit_sha), String(range.old_commit_sha)),
      ) ?? []) {
        const current = winners.get(mergeSha);
        if (!current || deploymentOrder(candidate, current) < 0) winners.set(mergeSha, candidate);
      }
    }
  }
  return winners;
}

function pairKey(newSha: string, oldSha: string): string {
  return `${newSha}\u0000${oldSha}`;
}

function deploymentOrder(left: DeploymentCommit, right: DeploymentCommit): number {
  return compareDates(left.startedDate, right.startedDate) || compareText(left.id, right.id);
}
