import type { LakeKysely, Store } from '@lake/sdk';
import { type DeploymentCommit, projectDeploymentCommits } from '../deployment-commit-rows.js';
import { assertKnownProject } from '../known-project.js';
import { type ContainingRange, isCandidate, rangesContaining } from '../merge-commit-ranges.js';
import { assertMetricsMigrated } from '../metrics-migrated.js';
import { projectScopeIds } from '../project-scopes.js';
import { winningDeployment } from '../pull-request-deployments.js';
import { firstCommits, firstReviews } from '../pull-request-facts.js';
import { chunks, minutesBetween } from '../values.js';
import { deploySpan } from './deploy-span.js';
import { type PullRequestRecord, pullRequestActivity, pullRequestRecord } from './pull-request-record.js';
import { codingSpan, pickupSpan, type ReviewFacts, reviewSpan } from './review-spans.js';
import { isoOf, measured, missing, type SpanExplanation } from './span-explanation.js';

export type SpanName = 'coding' | 'pickup' | 'review' | 'deploy' | 'cycle';

/** A deployment commit as `explain` shows it, with the previous deployment its range was diffed against. */
export interface ExplainedDeployment {
  deploymentCommitId: string;
  cicdDeploymentId: string;
  commitSha: string;
  repoUrl: string;
  environment: string;
  result: string;
  startedDate: string | null;
  finishedDate: string | null;
  /** The previous successful deployment commit of its chain ('' for the first of a chain), and its sha ('' if none). */
  previousDeploymentCommitId: string;
  previousCommitSha: string;
  /** Whether this range can give the pull request its deploy time (successful, PRODUCTION, with a previous deployment). */
  counts: boolean;
}

/** Why a pull request has, or lacks, each of its time spans, found from the data as `change-lead-time` reads it. */
export interface PullRequestExplanation {
  project: string;
  pullRequest: Omit<PullRequestRecord, 'createdDate' | 'mergedDate'> & {
    createdDate: string | null;
    mergedDate: string | null;
  };
  firstCommit: { sha: string; authoredDate: string | null } | null;
  firstReview: { id: string; accountId: string; createdDate: string | null } | null;
  /** The deployment commit the deploy span is measured to, if any. */
  deployment: ExplainedDeployment | null;
  /** Every deployment commit whose commit range holds the merge commit. */
  ranges: ExplainedDeployment[];
  /** Whether `project_pr_metrics` holds a row for it (`change-lead-time` ran since it was merged). */
  inProjectPrMetrics: boolean;
  /** The pull request's commits and comments; comments by its author, or by no account, never count as a review. */
  activity: { commits: number; comments: number; authorComments: number; anonymousComments: number };
  /** How the deployment was chosen among the ranges that count (earliest start, NULL first, then smallest id), or null. */
  deploymentRule: string | null;
  spans: Record<SpanName, SpanExplanation>;
}

/**
 * Explains one pull request's spans.
 *
 *   const explanation = await explainPullRequest(store, { projectName: 'shop', pullRequestId: 'github:GithubPullRequest:1:42' });
 *   explanation.spans.deploy.reason; // e.g. "merge commit abc is in no successful PRODUCTION deployment's commit range"
 */
export async function explainPullRequest(
  store: Store,
  { projectName, pullRequestId }: { projectName: string; pullRequestId: string },
): Promise<PullRequestExplanation> {
  await assertMetricsMigrated(store);
  await assertKnownProject(store.db, projectName);
  const db = store.db;
  const pullRequest = await pullRequestRecord(db, pullRequestId);
  const repoIds = await projectScopeIds(db, projectName, 'repos');
  const deploymentCommits = await projectDeploymentCommits(db, await projectScopeIds(db, projectName, 'cicd_scopes'));
  const ranges =
    (await rangesContaining(db, deploymentCommits, [pullRequest.mergeCommitSha])).get(pullRequest.mergeCommitSha) ?? [];
  const review: ReviewFacts = {
    pullRequest,
    firstCommit: (await firstCommits(db, [pullRequest.id])).get(pullRequest.id),
    firstReview: (await firstReviews(db, [pullRequest])).get(pullRequest.id),
    activity: await pullRequestActivity(db, pullRequest),
  };
  const graph = await graphFacts(db, repoIds, pullRequest.mergeCommitSha);
  const inProject = repoIds.includes(pullRequest.baseRepoId);
  const spans = explainSpans(
    review,
    () => deploySpan({ pullRequest, deploymentCommits, ranges, ...graph }),
    inProject
      ? null
      : `its base repo ${pullRequest.baseRepoId || '(none)'} is not one of project ${projectName}'s repos`,
  );
  const winner = winningDeployment(ranges);
  return {
    project: projectName,
    pullRequest: {
      ...pullRequest,
      createdDate: isoOrNull(pullRequest.createdDate),
      mergedDate: isoOrNull(pullRequest.mergedDate),
    },
    firstCommit: review.firstCommit
      ? { sha: review.firstCommit.id, authoredDate: isoOrNull(review.firstCommit.date) }
      : null,
    firstReview: review.firstReview
      ? {
          id: review.firstReview.id,
          accountId: review.firstReview.accountId,
          createdDate: isoOrNull(review.firstReview.date),
        }
      : null,
    // The deployment change-lead-time picks, even when it finished before the merge or never finished.
    deployment:
      winner && inProject && pullRequest.mergedDate && pullRequest.mergeCommitSha !== ''
        ? explainedDeployment(ranges.find((range) => range.deploymentCommit === winner)!, deploymentCommits)
        : null,
    ranges: ranges.map((range) => explainedDeployment(range, deploymentCommits)),
    inProjectPrMetrics: await inProjectPrMetrics(db, projectName, pullRequest.id),
    activity: review.activity,
    deploymentRule: winner ? deploymentRule(ranges.filter(isCandidate).length) : null,
    spans,
  };
}

function explainSpans(
  facts: ReviewFacts,
  deploy: () => SpanExplanation,
  outsideProject: string | null,
): Record<SpanName, SpanExplanation> {
  const pullRequest = facts.pullRequest;
  const notMeasured =
    outsideProject ??
    (pullRequest.mergedDate
      ? null
      : `not merged (status ${pullRequest.status || 'unknown'}): only merged pull requests have spans`);
  if (notMeasured) {
    const reason = missing(notMeasured);
    return { coding: reason, pickup: reason, review: reason, deploy: reason, cycle: reason };
  }
  const spans = { coding: codingSpan(facts), pickup: pickupSpan(facts), review: reviewSpan(facts), deploy: deploy() };
  return { ...spans, cycle: cycleSpan(pullRequest, spans.coding, spans.deploy) };
}

/** Cycle = coding + (created → merged) + deploy, each missing part counted as 0 (§2.5.6): never missing for a merged pull request. */
function cycleSpan(pullRequest: PullRequestRecord, coding: SpanExplanation, deploy: SpanExplanation): SpanExplanation {
  const merge = minutesBetween(pullRequest.createdDate, pullRequest.mergedDate);
  const part = (name: string, minutes: number | null) =>
    `${name} ${minutes === null ? 'missing, counted as 0' : `${minutes} min`}`;
  return measured(
    (coding.minutes ?? 0) + (merge ?? 0) + (deploy.minutes ?? 0),
    coding.minutes === null ? `pull request created ${isoOf(pullRequest.createdDate)}` : coding.from!,
    `${deploy.minutes === null ? `pull request merged ${isoOf(pullRequest.mergedDate)}` : deploy.to!}; ${[part('coding', coding.minutes), part('created → merged', merge), part('deploy', deploy.minutes)].join(' + ')}`,
  );
}

function deploymentRule(candidates: number): string {
  return candidates === 1
    ? 'the only successful PRODUCTION deployment commit with a previous deployment whose range holds the merge commit'
    : `the earliest started of ${candidates} successful PRODUCTION deployment commits with a previous deployment whose range holds the merge commit (no start date first, then the smallest id)`;
}

function explainedDeployment(range: ContainingRange, all: readonly DeploymentCommit[]): ExplainedDeployment {
  const commit = range.deploymentCommit;
  const previous = all.find((candidate) => candidate.id === commit.previousId && commit.previousId !== '');
  return {
    deploymentCommitId: commit.id,
    cicdDeploymentId: commit.cicdDeploymentId,
    commitSha: commit.commitSha,
    repoUrl: commit.repoUrl,
    environment: commit.environment,
    result: commit.result,
    startedDate: isoOrNull(commit.startedDate),
    finishedDate: isoOrNull(commit.finishedDate),
    previousDeploymentCommitId: commit.previousId,
    previousCommitSha: range.oldSha || previous?.commitSha || '',
    counts: commit.environment === 'PRODUCTION' && commit.result === 'SUCCESS' && commit.previousId !== '',
  };
}

async function graphFacts(db: LakeKysely, repoIds: readonly string[], sha: string) {
  let graphCommits = 0;
  let mergeCommitInGraph = false;
  for (const repos of chunks(repoIds)) {
    const rows = await db
      .selectFrom('repo_commits')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('repo_id', 'in', repos)
      .executeTakeFirst();
    graphCommits += Number(rows?.count ?? 0);
    const found = await db
      .selectFrom('repo_commits')
      .select('commit_sha')
      .where('repo_id', 'in', repos)
      .where('commit_sha', '=', sha)
      .executeTakeFirst();
    mergeCommitInGraph ||= found !== undefined;
  }
  return { graphCommits, mergeCommitInGraph };
}

async function inProjectPrMetrics(db: LakeKysely, projectName: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('project_pr_metrics')
    .select('id')
    .where('project_name', '=', projectName)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

function isoOrNull(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
