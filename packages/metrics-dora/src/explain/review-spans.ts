import type { DatedEvent } from '../pull-request-facts.js';
import { minutesBetween } from '../values.js';
import type { PullRequestRecord } from './pull-request-record.js';
import { isoOf, measured, missing, type SpanExplanation } from './span-explanation.js';

/** A pull request's first commit and first review comment (the author's comments skipped) and what they count. */
export interface ReviewFacts {
  pullRequest: PullRequestRecord;
  firstCommit: DatedEvent | undefined;
  firstReview: (DatedEvent & { accountId: string }) | undefined;
  activity: { commits: number; comments: number; authorComments: number; anonymousComments: number };
}

const created = (pullRequest: PullRequestRecord) => `pull request created ${isoOf(pullRequest.createdDate)}`;
const merged = (pullRequest: PullRequestRecord) => `pull request merged ${isoOf(pullRequest.mergedDate)}`;

/** Coding: first commit authored → pull request created. */
export function codingSpan({ pullRequest, firstCommit, activity }: ReviewFacts): SpanExplanation {
  if (!firstCommit || activity.commits === 0) return missing('the pull request has no commits in pull_request_commits');
  const from = `first commit ${firstCommit.id} authored ${isoOf(firstCommit.date)}`;
  const to = created(pullRequest);
  if (!firstCommit.date) return missing(`first commit ${firstCommit.id} has no authored date`, from, to);
  if (!pullRequest.createdDate) return missing('the pull request has no created date', from, to);
  const minutes = minutesBetween(firstCommit.date, pullRequest.createdDate);
  if (minutes === null)
    return missing(`first commit ${firstCommit.id} was authored after the pull request was created`, from, to);
  return measured(minutes, from, to);
}

/** Pickup: pull request created → first comment by someone other than its author. */
export function pickupSpan(facts: ReviewFacts): SpanExplanation {
  const { pullRequest, firstReview } = facts;
  if (!firstReview) return missing(noReviewReason(facts));
  const from = created(pullRequest);
  const to = reviewText(firstReview);
  if (!firstReview.date) return missing(`first review comment ${firstReview.id} has no date`, from, to);
  if (!pullRequest.createdDate) return missing('the pull request has no created date', from, to);
  const minutes = minutesBetween(pullRequest.createdDate, firstReview.date);
  if (minutes === null)
    return missing(`first review comment ${firstReview.id} was written before the pull request was created`, from, to);
  return measured(minutes, from, to);
}

/** Review: first review comment → merged. */
export function reviewSpan(facts: ReviewFacts): SpanExplanation {
  const { pullRequest, firstReview } = facts;
  if (!firstReview) return missing(noReviewReason(facts));
  const from = reviewText(firstReview);
  const to = merged(pullRequest);
  if (!firstReview.date) return missing(`first review comment ${firstReview.id} has no date`, from, to);
  const minutes = minutesBetween(firstReview.date, pullRequest.mergedDate);
  if (minutes === null)
    return missing(`first review comment ${firstReview.id} was written after the pull request was merged`, from, to);
  return measured(minutes, from, to);
}

function reviewText(review: DatedEvent & { accountId: string }): string {
  return `first review comment ${review.id} by ${review.accountId || '(no account)'} at ${isoOf(review.date)}`;
}

function noReviewReason({ pullRequest, activity }: ReviewFacts): string {
  if (activity.comments === 0) return 'no comments on the pull request';
  const skipped = [
    activity.authorComments > 0 ? `${activity.authorComments} by the author ${pullRequest.authorId}` : '',
    activity.anonymousComments > 0 ? `${activity.anonymousComments} with no account` : '',
  ].filter((part) => part !== '');
  return `no comment by anyone but the author (${activity.comments} comment${activity.comments === 1 ? '' : 's'}: ${skipped.join(', ')})`;
}
