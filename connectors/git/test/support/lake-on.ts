import type { DialectName } from '@lake/sdk';
import { createScratchDatabase, createTestLake, type TestLake } from '@lake/testkit';
import { gitConnector } from '../../src/index.js';

/** Runs `body` against a git lake on a throwaway database of `dialect`, dropped afterwards. */
export async function withLakeOn<T>(dialect: DialectName, body: (lake: TestLake) => Promise<T>): Promise<T> {
  const database = await createScratchDatabase(dialect);
  const lake = await createTestLake({ connector: gitConnector, url: database.url });
  try {
    return await body(lake);
  } finally {
    await lake.close();
    await database.drop();
  }
}

/** The sync context of a repository at `path`. */
export const contextFor = (path: string, scopeConfig: Record<string, unknown> = {}) => ({
  connection: { id: 1 },
  scope: { path },
  scopeConfig,
});
