import { execFileSync } from 'node:child_process';
import { testDialects } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepository, type TestRepository } from './make-repository.js';
import { contextFor, withLakeOn } from './support/lake-on.js';

const characters = (value: unknown) => Array.from(String(value)).length;

/** Ref names git accepts and DevLake's varchar(255) does not hold (no component over the file system's 255 bytes). */
const LONG_BRANCH = ['a'.repeat(200), 'b'.repeat(200)].join('/');
const LONG_BRANCH_TWIN = `${LONG_BRANCH.slice(0, -1)}c`;
const LONG_TAG = ['é'.repeat(100), 'ü'.repeat(100), 'ß'.repeat(100)].join('/');
const LONG_REMOTE = `origin/${'r'.repeat(200)}/${'s'.repeat(200)}`;
const LONG_NAME = `Dr. ${'Very Long Name '.repeat(25)}`;
const LONG_EMAIL = `${'x'.repeat(300)}@example.org`;

describe('names longer than DevLake’s columns', () => {
  let repository: TestRepository;
  let tagged: string;
  beforeAll(async () => {
    repository = await makeRepository({ commits: 6 });
    tagged = repository.git('rev-parse', 'main~2');
    repository.git('branch', LONG_BRANCH);
    repository.git('branch', LONG_BRANCH_TWIN);
    repository.git('tag', LONG_TAG, 'main~2');
    repository.git('update-ref', `refs/remotes/${LONG_REMOTE}`, 'main~1');
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'long author'], {
      cwd: repository.path,
      env: { ...process.env, GIT_AUTHOR_NAME: LONG_NAME, GIT_AUTHOR_EMAIL: LONG_EMAIL },
    });
  });
  afterAll(() => repository.cleanup());

  for (const dialect of testDialects()) {
    it(`are stored in full in the tool layer and shortened, uniquely, in the domain on ${dialect}`, async () => {
      await withLakeOn(dialect, async (lake) => {
        const first = await lake.sync(contextFor(repository.path));
        expect(first.error?.message ?? '').toBe('');
        // Every later sync too: these names used to fail them all on PostgreSQL and MySQL.
        const again = await lake.sync(contextFor(repository.path), { streams: ['commits', 'refs', 'repository'] });
        expect(again.error?.message ?? '').toBe('');

        const toolRefs = await lake.rows('_tool_git_refs');
        const fullNames = toolRefs.map((row) => String(row.full_name));
        expect(fullNames.sort()).toEqual(repository.git('for-each-ref', '--format=%(refname)').split('\n').sort());
        expect(fullNames).toContain(`refs/tags/${LONG_TAG}`);

        const refs = await lake.rows('refs');
        expect(refs).toHaveLength(toolRefs.length);
        expect(new Set(refs.map((ref) => ref.id)).size).toBe(refs.length);
        for (const ref of refs) {
          expect(characters(ref.name)).toBeLessThanOrEqual(255);
          expect(characters(ref.id)).toBeLessThanOrEqual(500);
          expect(ref.id).toBe(`${ref.repo_id}:${ref.name}`);
        }
        const byName = new Map(refs.map((ref) => [String(ref.name), ref]));
        expect(byName.get('main')?.commit_sha).toBe(repository.git('rev-parse', 'main'));
        const shortened = [...byName.keys()].filter((name) => name.includes('~'));
        expect(shortened).toHaveLength(4);
        for (const name of shortened) expect(name).toMatch(/~[0-9a-f]{16}$/);
        const tag = shortened.find((name) => name.startsWith('refs/tags/é'));
        expect(byName.get(tag!)?.ref_type).toBe('TAG');
        expect(byName.get(tag!)?.commit_sha).toBe(tagged);
        expect(shortened.filter((name) => name.startsWith('aaaa'))).toHaveLength(2);

        const commit = (await lake.rows('commits', { sha: repository.git('rev-parse', 'main') }))[0]!;
        expect(characters(commit.author_name)).toBeLessThanOrEqual(255);
        expect(String(commit.author_name).startsWith(LONG_NAME.slice(0, 200))).toBe(true);
        expect(characters(commit.author_email)).toBeLessThanOrEqual(255);
        const account = (await lake.rows('accounts', { email: commit.author_email }))[0]!;
        expect(characters(account.id)).toBeLessThanOrEqual(255);
        // The fixture's four authors, the committer of the last commit, and the long one.
        expect(await lake.count('accounts')).toBe(6);
      });
    });
  }
});
