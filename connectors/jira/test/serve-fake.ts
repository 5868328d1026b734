import type { ServeFake } from '@lake/testkit/fake-api';
import { jiraDataset } from './fake-jira/dataset.js';
import { connectionFor, startFakeJira } from './fake-jira/fake-jira.js';

/**
 * The fake Jira outside vitest, for the standalone CLI:
 *
 *   pnpm exec lake-fake-api serve test/serve-fake.ts --port 8080 --context-out context.json
 *   node dist/cli.js sync --context context.json --db sqlite:lake.db
 */
export const serveFake: ServeFake = async ({ port, size }) => {
  const fake = await startFakeJira(jiraDataset({ issues: servedItems(size) }), { port });
  return { api: fake.api, context: { connection: connectionFor(fake), scope: { boardId: 8 } } };
};

/** How many issues `serveFake` serves at a size (what a sync of it must hold). */
export const servedItems = (size: 'small' | 'large') => (size === 'large' ? 5_000 : 120);
