import type { ExplainedDeployment, PullRequestExplanation, SpanName } from './explain-pull-request.js';

const SPANS: SpanName[] = ['coding', 'pickup', 'review', 'deploy', 'cycle'];

/** The explanation as text: the pull request, what each span was measured from or why it is missing, the ranges holding its merge commit. */
export function formatExplanation(explanation: PullRequestExplanation): string {
  const { pullRequest, firstCommit, firstReview } = explanation;
  const lines = [
    `pull request ${pullRequest.id}${pullRequest.key && pullRequest.key !== '0' ? ` (#${pullRequest.key})` : ''} of project ${explanation.project}`,
    `  base repo ${pullRequest.baseRepoId || '(none)'}, author ${pullRequest.authorId || '(unknown)'}, status ${pullRequest.status || '(none)'}`,
    `  created ${pullRequest.createdDate ?? '(no date)'}, merged ${pullRequest.mergedDate ?? '(not merged)'}, merge commit ${pullRequest.mergeCommitSha || '(none)'}`,
    `  first commit: ${firstCommit ? `${firstCommit.sha} authored ${firstCommit.authoredDate ?? '(no date)'}` : 'none'}`,
    `  first review comment: ${firstReview ? `${firstReview.id} by ${firstReview.accountId || '(no account)'} at ${firstReview.createdDate ?? '(no date)'}` : 'none'} (${commentsText(explanation.activity)})`,
    `  deployment: ${explanation.deployment ? deploymentText(explanation.deployment) : 'none'}`,
    ...(explanation.deploymentRule ? [`    chosen as ${explanation.deploymentRule}`] : []),
    `  in project_pr_metrics: ${explanation.inProjectPrMetrics ? 'yes' : 'no (run change-lead-time)'}`,
    '',
    ...SPANS.flatMap((name) => {
      const span = explanation.spans[name];
      if (span.minutes === null) return [`  ${name.padEnd(7)} missing: ${span.reason}`];
      return [`  ${name.padEnd(7)} ${span.minutes} min`, `          from ${span.from}`, `          to ${span.to}`];
    }),
  ];
  if (explanation.ranges.length > 0) {
    lines.push('', '  deployment ranges holding the merge commit:');
    for (const range of explanation.ranges)
      lines.push(`    ${deploymentText(range)}${range.counts ? '' : ' (does not count)'}`);
  }
  return `${lines.join('\n')}\n`;
}

function commentsText(activity: PullRequestExplanation['activity']): string {
  const skipped = [
    activity.authorComments > 0 ? `${activity.authorComments} by the author` : '',
    activity.anonymousComments > 0 ? `${activity.anonymousComments} by no account` : '',
  ].filter((part) => part !== '');
  return `${activity.comments} comment${activity.comments === 1 ? '' : 's'}${skipped.length > 0 ? `, skipped: ${skipped.join(', ')}` : ''}`;
}

function deploymentText(deployment: ExplainedDeployment): string {
  const previous = deployment.previousDeploymentCommitId
    ? `diffed against ${deployment.previousDeploymentCommitId} (${deployment.previousCommitSha || 'no sha'})`
    : 'no previous deployment';
  return `${deployment.deploymentCommitId} of ${deployment.commitSha}, ${deployment.environment || 'no environment'} ${deployment.result}, finished ${deployment.finishedDate ?? '(no date)'}, ${previous}`;
}
