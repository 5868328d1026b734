import type { DeploymentCommit } from '../deployment-commit-rows.js';
import { type ContainingRange, isFirstDeployment } from '../merge-commit-ranges.js';
import { winningDeployment } from '../pull-request-deployments.js';
import { minutesBetween } from '../values.js';
import type { PullRequestRecord } from './pull-request-record.js';
import { isoOf, measured, missing, type SpanExplanation } from './span-explanation.js';

/** What the deploy span of a merged pull request is decided by. */
export interface DeployFacts {
  pullRequest: PullRequestRecord;
  /** The project's deployment commits. */
  deploymentCommits: readonly DeploymentCommit[];
  /** The deployment commits whose commit range holds the merge commit. */
  ranges: readonly ContainingRange[];
  /** How many commits the project's repos have in `repo_commits`, and whether the merge commit is one. */
  graphCommits: number;
  mergeCommitInGraph: boolean;
}

/** Deploy: merged → finish of the deployment commit whose range holds the merge commit (§2.5.5). */
export function deploySpan(facts: DeployFacts): SpanExplanation {
  const { pullRequest, ranges } = facts;
  const sha = pullRequest.mergeCommitSha;
  if (sha === '') return missing('the pull request has no merge commit sha');
  const from = `pull request merged ${isoOf(pullRequest.mergedDate)}`;
  const winner = winningDeployment(ranges);
  if (winner) {
    const to = `deployment commit ${winner.id} (${winner.environment}) finished ${isoOf(winner.finishedDate)}`;
    if (!winner.finishedDate)
      return missing(
        `deployment commit ${winner.id}, which deployed merge commit ${sha}, has no finish date`,
        from,
        to,
      );
    const minutes = minutesBetween(pullRequest.mergedDate, winner.finishedDate);
    if (minutes === null) return missing(`deployment commit ${winner.id} finished before the merge`, from, to);
    return measured(minutes, from, to);
  }
  const first = ranges.find(isFirstDeployment);
  if (first)
    return missing(
      `merge commit ${sha} is only in the range of deployment commit ${first.deploymentCommit.id}, the first deployment of repo ${first.deploymentCommit.repoUrl || '(no repo URL)'} to PRODUCTION: it has no previous deployment, so its range is unknown`,
    );
  if (facts.deploymentCommits.length === 0) return missing("the project's cicd scopes have no deployment commits");
  if (facts.graphCommits === 0) return missing("the commit graph has no commits for the project's repos");
  const others = ranges.map(
    ({ deploymentCommit: commit }) => `${commit.id} (${commit.environment || 'no environment'}, ${commit.result})`,
  );
  return missing(
    `merge commit ${sha} is in no successful PRODUCTION deployment's commit range${others.length > 0 ? `; it is only in the ranges of ${others.join(', ')}` : ''}${facts.mergeCommitInGraph ? '' : "; it is not in the project's commit graph"}`,
  );
}
