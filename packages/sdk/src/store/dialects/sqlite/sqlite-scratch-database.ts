import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DialectTesting } from '../dialect-factory.js';

/** SQLite needs no server: a test's database is a file in a temporary directory of its own. */
export const sqliteTesting: Pick<DialectTesting, 'createScratchDatabase'> = {
  async createScratchDatabase() {
    const directory = await mkdtemp(join(tmpdir(), 'lake-test-'));
    return {
      url: `sqlite:${join(directory, 'lake.db')}`,
      drop: () => rm(directory, { recursive: true, force: true }),
    };
  },
};
