import type { LakeKysely } from '@lake/sdk';
import type { DeploymentCommit } from './deployment-commit-rows.js';
import { type ContainingRange, isCandidate, rangesContaining } from './merge-commit-ranges.js';
import { compareDates, compareText } from './values.js';

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
  const candidates = deploymentCommits.filter((commit) => isCandidate({ deploymentCommit: commit, oldSha: '' }));
  const winners = new Map<string, DeploymentCommit>();
  if (candidates.length === 0) return winners;
  const ranges = await rangesContaining(db, deploymentCommits, mergeShas);
  for (const [mergeSha, containing] of ranges) {
    const winner = winningDeployment(containing);
    if (winner) winners.set(mergeSha, winner);
  }
  return winners;
}

/** The deployment commit that counts among the ranges holding a merge commit, if any can. */
export function winningDeployment(ranges: readonly ContainingRange[]): DeploymentCommit | undefined {
  let winner: DeploymentCommit | undefined;
  for (const range of ranges) {
    if (!isCandidate(range)) continue;
    if (!winner || deploymentOrder(range.deploymentCommit, winner) < 0) winner = range.deploymentCommit;
  }
  return winner;
}

function deploymentOrder(left: DeploymentCommit, right: DeploymentCommit): number {
  return compareDates(left.startedDate, right.startedDate) || compareText(left.id, right.id);
}
