import type { ServeFake } from '@lake/testkit/fake-api';
import { fixtureItems, startFakeGitlab, TOKEN } from './fake-gitlab.js';

// #region serve
/**
 * The fake Gitlab API outside vitest, for the standalone CLI:
 *
 *   pnpm exec lake-fake-api serve test/serve-fake.ts --port 8080 --context-out context.json
 *   node dist/cli.js sync --context context.json --db sqlite:lake.db
 */
export const serveFake: ServeFake = async ({ port, size }) => {
  const fake = await startFakeGitlab(fixtureItems(size === 'large' ? 5_000 : 120), { port });
  return {
    api: fake.api,
    context: { connection: { id: 1, endpoint: fake.url, token: TOKEN }, scope: { project: 'CORE' } },
  };
};
// #endregion serve

/** How many items `serveFake` serves at a size (what a sync of it must hold). */
export const servedItems = (size: 'small' | 'large') => fixtureItems(size === 'large' ? 5_000 : 120).length;
