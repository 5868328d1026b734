import type { ServeFake } from '@lake/testkit/fake-api';
import { type DatasetSizes, GitlabDataset, PROJECT_PATH } from './fake-gitlab/dataset.js';
import { startFakeGitlab, TOKEN } from './fake-gitlab/fake-gitlab.js';

const SIZES: Record<'small' | 'large', DatasetSizes> = {
  small: { mergeRequests: 12, issues: 20, commits: 10, pipelines: 6, deployments: 3 },
  large: { mergeRequests: 2_000, issues: 5_000, commits: 500, pipelines: 300, deployments: 20 },
};

/** How many issues the fake serves at each size (for the test that syncs it). */
export const servedIssues = (size: 'small' | 'large') => SIZES[size].issues;

/**
 * The fake GitLab outside vitest, for the standalone CLI:
 *
 *   pnpm exec lake-fake-api serve test/serve-fake.ts --port 8080 --context-out context.json
 *   node dist/cli.js sync --context context.json --db sqlite:lake.db
 */
export const serveFake: ServeFake = async ({ port, size }) => {
  const gitlab = await startFakeGitlab(new GitlabDataset(SIZES[size]).finishBuilding(), { port });
  return {
    api: gitlab.api,
    context: { connection: { id: 1, endpoint: gitlab.url, token: TOKEN }, scope: { project: PROJECT_PATH } },
  };
};
