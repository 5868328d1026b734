import { createTestLake } from '@lake/testkit';
import { afterEach, expect, it } from 'vitest';
import { gitlabConnector } from '../src/index.js';
import { PROJECT_ID } from './fake-gitlab/dataset.js';
import { TOKEN } from './fake-gitlab/fake-gitlab.js';
import { gitlabFixture } from './fixture.js';
import { timeBudget } from './time-budget.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

// Above 10,000 records GitLab stops counting: no X-Total, no X-Total-Pages, no `last` link. The
// listing must still be read to its end, page after page by X-Next-Page.
it(
  'reads listings of more than 10,000 records, which GitLab no longer counts',
  async () => {
    const sizes = {
      mergeRequests: 150,
      issues: 10_001,
      commits: 3,
      pipelines: 2,
      deployments: 1,
      notesPerMergeRequest: 0,
      commitsPerMergeRequest: 1,
    };
    const fixture = await gitlabFixture(sizes);
    const lake = await createTestLake({ connector: gitlabConnector });
    closers.push(fixture.close, () => lake.close());

    const first = await fetch(`${fixture.gitlab.url}/projects/${PROJECT_ID}/issues?per_page=100`, {
      headers: { 'private-token': TOKEN },
    });
    expect(first.headers.get('x-next-page')).toBe('2');
    expect(first.headers.get('x-total')).toBeNull();
    expect(first.headers.get('x-total-pages')).toBeNull();

    await lake.syncOrThrow(fixture.context);
    expect(await lake.count('issues')).toBe(10_001);
    expect(await lake.count('board_issues')).toBe(10_001);
    expect(await lake.count('pull_requests')).toBe(150);
    expect(fixture.gitlab.api.requestsTo(/\/issues$/).length).toBe(1 + 101);
  },
  timeBudget(240_000),
);
