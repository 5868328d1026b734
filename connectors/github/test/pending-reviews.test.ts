import { createTestLake } from '@lake/testkit';
import { expect, it } from 'vitest';
import { githubConnector } from '../src/index.js';
import { githubFixture } from './fixture.js';

it("leaves out a review the token's account started and did not submit, as DevLake does", async () => {
  const fixture = await githubFixture({
    issues: 2,
    pullRequests: 6,
    commentsPerIssue: 0,
    reviewCommentsPerPullRequest: 0,
    pendingReviews: 2,
    workflowRuns: 1,
    deployments: 0,
  });
  const lake = await createTestLake({ connector: githubConnector });
  try {
    await lake.syncOrThrow(fixture.context);
    const pending = fixture.dataset.issues.flatMap((record) =>
      (record.pull?.reviews ?? []).filter((review) => review.state === 'PENDING'),
    );
    expect(pending).toHaveLength(2);
    const reviews = await lake.rows('pull_request_comments', { type: 'REVIEW' });
    const ids = new Set(reviews.map((row) => String(row.id)));
    for (const review of pending) expect(ids.has(`github:GithubPrReview:1:${review.id}`)).toBe(false);
    expect(reviews).toHaveLength(fixture.dataset.counts().reviews);
    expect(await lake.count('pull_request_reviewers')).toBe(fixture.dataset.domainCounts().pull_request_reviewers);
  } finally {
    await lake.close();
    await fixture.close();
  }
});
