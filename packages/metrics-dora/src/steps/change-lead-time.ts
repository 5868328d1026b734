import type { Store } from '@lake/sdk';
import type { DeploymentCommit } from '../deployment-commit-rows.js';
import { projectDeploymentCommits } from '../deployment-commit-rows.js';
import { projectScopeIds } from '../project-scopes.js';
import { deploymentsOfMergeCommits } from '../pull-request-deployments.js';
import {
  type DatedEvent,
  firstCommits,
  firstReviews,
  type MergedPullRequest,
  mergedPullRequests,
} from '../pull-request-facts.js';
import type { StepOptions, StepOutcome } from '../step-outcome.js';
import { domainTableShape } from '../tables.js';
import { minutesBetween } from '../values.js';

/**
 * Step `change-lead-time`: rebuilds the project's `project_pr_metrics`, one row per merged pull
 * request of its repos. Spans are whole minutes rounded up, NULL when an end is missing or the
 * span is negative: coding (first commit authored → created), pickup (created → first comment by
 * someone else), review (that comment → merged), deploy (merged → finish of the deployment that
 * shipped the merge commit); cycle = coding + (created → merged) + deploy, missing parts as 0.
 */
export async function changeLeadTimeStep(store: Store, { projectName }: StepOptions): Promise<StepOutcome> {
  return store.transaction(async (writer) => {
    const removed = await writer.db
      .deleteFrom('project_pr_metrics')
      .where('project_name', '=', projectName)
      .executeTakeFirst();
    const pullRequests = await mergedPullRequests(writer.db, await projectScopeIds(writer.db, projectName, 'repos'));
    const ids = pullRequests.map((pullRequest) => pullRequest.id);
    const commits = await firstCommits(writer.db, ids);
    const reviews = await firstReviews(writer.db, pullRequests);
    const deploymentCommits = await projectDeploymentCommits(
      writer.db,
      await projectScopeIds(writer.db, projectName, 'cicd_scopes'),
    );
    const deployments = await deploymentsOfMergeCommits(
      writer.db,
      deploymentCommits,
      pullRequests.map((pullRequest) => pullRequest.mergeCommitSha),
    );
    const now = new Date();
    const rows = pullRequests.map((pullRequest) =>
      metricsRow(
        projectName,
        pullRequest,
        commits.get(pullRequest.id),
        reviews.get(pullRequest.id),
        deployments.get(pullRequest.mergeCommitSha),
        now,
      ),
    );
    await writer.upsert(domainTableShape('project_pr_metrics'), rows);
    return {
      written: { project_pr_metrics: rows.length },
      deleted: { project_pr_metrics: Number(removed.numDeletedRows) },
    };
  });
}

function metricsRow(
  projectName: string,
  pullRequest: MergedPullRequest,
  firstCommit: DatedEvent | undefined,
  firstReview: DatedEvent | undefined,
  deployment: DeploymentCommit | undefined,
  now: Date,
): Record<string, unknown> {
  // A winning deployment without a finish date gives the PR no deployment at all (no fallback).
  const deployed = deployment?.finishedDate ? deployment : undefined;
  const coding = minutesBetween(firstCommit?.date ?? null, pullRequest.createdDate);
  const merge = minutesBetween(pullRequest.createdDate, pullRequest.mergedDate);
  const deploy = minutesBetween(pullRequest.mergedDate, deployed?.finishedDate ?? null);
  return {
    id: pullRequest.id,
    project_name: projectName,
    _raw_data_params: '',
    _raw_data_table: '',
    _raw_data_id: 0,
    _raw_data_remark: '',
    created_at: now,
    updated_at: now,
    first_commit_sha: firstCommit?.id ?? '',
    pr_coding_time: coding,
    first_review_id: firstReview?.id ?? '',
    pr_pickup_time: minutesBetween(pullRequest.createdDate, firstReview?.date ?? null),
    pr_review_time: minutesBetween(firstReview?.date ?? null, pullRequest.mergedDate),
    deployment_commit_id: deployed?.id ?? '',
    pr_deploy_time: deploy,
    pr_cycle_time: (coding ?? 0) + (merge ?? 0) + (deploy ?? 0),
    first_commit_authored_date: firstCommit?.date ?? null,
    first_comment_date: firstReview?.date ?? null,
    pr_created_date: pullRequest.createdDate,
    pr_merged_date: pullRequest.mergedDate,
    pr_deployed_date: deployed?.finishedDate ?? null,
  };
}
