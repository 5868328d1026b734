import type { ServeFake } from '@lake/testkit/fake-api';
import { githubFixture } from '../fixture.js';
import type { DatasetSizes, GithubDatasetOptions } from './dataset.js';

const DAY = 24 * 3_600_000;

const SIZES: Record<'small' | 'large', DatasetSizes> = {
  small: { issues: 30, pullRequests: 10, commits: 12, workflowRuns: 6, jobsPerRun: 2, deployments: 2 },
  large: { issues: 2_000, pullRequests: 400, commentsPerIssue: 2, commits: 200, workflowRuns: 300, deployments: 10 },
};

/**
 * The dataset a served fake holds: whole days, so that the same size served twice on one day is
 * the same dataset, and recent enough for its runs to be within GitHub's 35-day run limit.
 */
export function servedDataset(size: 'small' | 'large'): Omit<GithubDatasetOptions, 'sizes'> & { sizes: DatasetSizes } {
  return { sizes: SIZES[size], start: new Date(Math.floor(Date.now() / DAY) * DAY - 10 * DAY) };
}

/**
 * The fake GitHub outside vitest, for the standalone CLI (docs/authoring.md, "Run the fake on
 * its own"):
 *
 *   pnpm exec lake-fake-api serve test/fake-github/serve.ts --port 8080 --context-out context.json
 *   node dist/cli.js sync --context context.json --db sqlite:lake.db
 *
 * `small` is a few pages of each listing; `large` is thousands of records.
 */
export const serveFake: ServeFake = async ({ port, size }) => {
  const { sizes, ...dataset } = servedDataset(size);
  const fixture = await githubFixture(sizes, { port, dataset });
  return { api: fixture.github.api, context: { ...fixture.context }, close: fixture.close };
};
