import { testDialects } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepository, type TestRepository } from './make-repository.js';
import { contextFor, withLakeOn } from './support/lake-on.js';

describe('the summary', () => {
  let repository: TestRepository;
  beforeAll(async () => {
    // Deeper than MariaDB's default limit of 1000 recursive iterations, with merges and a
    // branch the default branch does not reach.
    repository = await makeRepository({ commits: 2_500, mergeEvery: 30 });
    repository.git('checkout', '-q', '-b', 'feature', 'main~40');
    repository.addCommits(7, 'feature');
    repository.git('checkout', '-q', 'main');
  });
  afterAll(() => repository.cleanup());

  for (const dialect of testDialects()) {
    it(`counts the commits on the default branch as git does on ${dialect}`, async () => {
      await withLakeOn(dialect, async (lake) => {
        const result = await lake.syncOrThrow(contextFor(repository.path, { skipCommitFiles: true }));
        const facts = Object.fromEntries(result.summary.map((fact) => [fact.label, fact.value]));
        expect(facts.commits).toBe(repository.countAll());
        expect(facts['commits on main']).toBe(Number(repository.git('rev-list', '--count', 'main')));
        expect(facts['commits on main']).toBeLessThan(repository.countAll());
        // The summary of a skipped sync is the same.
        const skipped = await lake.sync(contextFor(repository.path, { skipCommitFiles: true }));
        expect(skipped.status).toBe('skipped');
        expect(skipped.summary).toEqual(result.summary);
      });
    });
  }
});
