import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestLake, type TestLake } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitConnector } from '../src/index.js';
import { makeRepository, type TestRepository } from './make-repository.js';

const contextFor = (path: string) => ({ connection: { id: 1 }, scope: { path } });

describe('git history in the lake', () => {
  let repository: TestRepository;
  let lake: TestLake;
  const repoId = () => `git:GitRepo:1:${repository.path}`;

  beforeAll(async () => {
    repository = await makeRepository({ commits: 3000, mergeEvery: 25 });
    lake = await createTestLake({ connector: gitConnector });
    await lake.syncOrThrow(contextFor(repository.path));
  });
  afterAll(async () => {
    await lake.close();
    await repository.cleanup();
  });

  it('has as many commits as git rev-list --count --all, and HEAD’s count on the default branch', async () => {
    expect(repository.countAll()).toBeGreaterThan(3000);
    expect(await lake.count('repo_commits', { repo_id: repoId() })).toBe(repository.countAll());
    expect(await lake.count('commits')).toBe(repository.countAll());
    const result = await lake.sync(contextFor(repository.path), { streams: ['repository'] });
    const onMain = result.summary.find((fact) => fact.label === 'commits on main');
    expect(onMain?.value).toBe(repository.countHead());
  });

  it('records merge parents in order', async () => {
    const merges = repository.git('rev-list', '--merges', '--all').split('\n');
    expect(merges.length).toBe(120);
    const parents = await lake.rows('_tool_git_commit_parents', { sha: merges[0] });
    const expected = repository.git('rev-list', '--parents', '-n', '1', merges[0]!).split(' ').slice(1);
    expect(
      parents.sort((left, right) => Number(left.position) - Number(right.position)).map((row) => row.parent_sha),
    ).toEqual(expected);
    expect(await lake.count('commit_parents')).toBe(
      Number(
        repository
          .git('rev-list', '--all', '--parents')
          .split('\n')
          .reduce((sum, line) => sum + line.split(' ').length - 1, 0),
      ),
    );
  });

  it('counts lines per file like git --numstat, merges against their first parent', async () => {
    const sha = repository.git('rev-parse', 'main~7');
    const numstat = repository
      .git('show', '--numstat', '--format=', '--diff-merges=first-parent', sha)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
    const commit = (await lake.rows('commits', { sha }))[0]!;
    expect(Number(commit.additions)).toBe(numstat.reduce((sum, [added]) => sum + Number(added), 0));
    expect(Number(commit.deletions)).toBe(numstat.reduce((sum, [, deleted]) => sum + Number(deleted), 0));
    const files = await lake.rows('commit_files', { commit_sha: sha });
    expect(files.map((file) => file.file_path).sort()).toEqual(numstat.map(([, , path]) => path).sort());
  });

  it('keeps renames (new path, with the old one in the tool layer) and binary files (no line counts)', async () => {
    const rename = (await lake.rows('_tool_git_commit_files')).find(
      (row) => row.path === 'src/renamed-module.txt' && row.old_path,
    );
    expect(rename?.old_path).toBe('src/module-3.txt');
    const binary = (await lake.rows('_tool_git_commit_files')).find((row) => row.path === 'assets/logo.bin');
    expect(Boolean(Number(binary?.binary))).toBe(true);
    expect(Number(binary?.additions)).toBe(0);
  });

  it('decodes a non-UTF-8 author name without losing it, and de-duplicates accounts by e-mail', async () => {
    const accounts = await lake.rows('accounts');
    expect(accounts.map((account) => account.email).sort()).toEqual([
      'ada@example.org',
      'grace@example.org',
      'jose@example.org',
      'linus@example.org',
    ]);
    expect(accounts.find((account) => account.email === 'jose@example.org')?.full_name).toBe('José Müller');
    expect(accounts.find((account) => account.email === 'grace@example.org')?.id).toBe(
      'git:GitAccount:1:grace@example.org',
    );
  });

  it('writes refs in DevLake’s naming: short branches, full tags, the default branch marked', async () => {
    const refs = await lake.rows('refs', { repo_id: repoId() });
    const byName = Object.fromEntries(refs.map((ref) => [ref.name, ref]));
    expect(byName.main?.ref_type).toBe('BRANCH');
    expect(Boolean(Number(byName.main?.is_default))).toBe(true);
    expect(byName['refs/tags/v0.1']?.ref_type).toBe('TAG');
    expect(byName['refs/tags/light']?.commit_sha).toBe(repository.git('rev-parse', 'light^{commit}'));
    expect(byName['refs/tags/v0.1']?.commit_sha).toBe(repository.git('rev-parse', 'v0.1^{commit}'));
    expect(byName['refs/tags/v0.1']?.id).toBe(`${repoId()}:refs/tags/v0.1`);
    expect(refs.length).toBe(repository.git('for-each-ref').split('\n').length);
  });

  it('a re-sync after new commits reads only those, and an unchanged repository skips the sync', async () => {
    const unchanged = await lake.sync(contextFor(repository.path));
    expect(unchanged.status).toBe('skipped');
    repository.addCommits(5);
    const next = await lake.syncOrThrow(contextFor(repository.path));
    expect(next.streams.find((stream) => stream.name === 'commits')?.records).toBe(5);
    expect(await lake.count('repo_commits', { repo_id: repoId() })).toBe(repository.countAll());
  });

  it('a full sync removes commits that no ref reaches any more', async () => {
    repository.git('branch', '-q', 'doomed', 'main');
    repository.git('checkout', '-q', 'doomed');
    repository.addCommits(2, 'doomed');
    repository.git('checkout', '-q', 'main');
    await lake.syncOrThrow(contextFor(repository.path));
    const withDoomed = repository.countAll();
    expect(await lake.count('repo_commits', { repo_id: repoId() })).toBe(withDoomed);
    repository.git('branch', '-q', '-D', 'doomed');
    const result = await lake.syncOrThrow(contextFor(repository.path), { full: true });
    expect(result.streams.find((stream) => stream.name === 'commits')?.removed).toBeGreaterThan(0);
    expect(await lake.count('repo_commits', { repo_id: repoId() })).toBe(repository.countAll());
    expect(repository.countAll()).toBe(withDoomed - 2);
  });
});

describe('repositories at the edges', () => {
  it('an empty repository syncs to an empty history', async () => {
    const repository = await makeRepository({ commits: 0 });
    const lake = await createTestLake({ connector: gitConnector });
    try {
      const result = await lake.syncOrThrow(contextFor(repository.path));
      expect(result.streams.find((stream) => stream.name === 'commits')?.records).toBe(0);
      expect(await lake.count('commits')).toBe(0);
      const repo = (await lake.rows('repos'))[0];
      expect(repo?.name).toBe(repository.path.split('/').pop());
    } finally {
      await lake.close();
      await repository.cleanup();
    }
  });

  it('a path that is not a repository fails with a clear message', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lake-not-git-'));
    const lake = await createTestLake({ connector: gitConnector });
    try {
      const result = await lake.sync(contextFor(directory));
      expect(result.status).toBe('failed');
      expect(result.error?.message).toContain('is not a git repository');
    } finally {
      await lake.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('a bare clone syncs the same history', async () => {
    const repository = await makeRepository({ commits: 40 });
    const bare = await mkdtemp(join(tmpdir(), 'lake-bare-'));
    execFileSync('git', ['clone', '-q', '--bare', repository.path, bare]);
    const lake = await createTestLake({ connector: gitConnector });
    try {
      await lake.syncOrThrow(contextFor(bare));
      expect(await lake.count('repo_commits')).toBe(
        Number(execFileSync('git', ['rev-list', '--count', '--all'], { cwd: bare, encoding: 'utf8' })),
      );
    } finally {
      await lake.close();
      await repository.cleanup();
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('skipCommitFiles skips per-file changes', async () => {
    const repository = await makeRepository({ commits: 20 });
    const lake = await createTestLake({ connector: gitConnector });
    try {
      await lake.syncOrThrow({ ...contextFor(repository.path), scopeConfig: { skipCommitFiles: true } });
      expect(await lake.count('commits')).toBe(repository.countAll());
      expect(await lake.count('commit_files')).toBe(0);
    } finally {
      await lake.close();
      await repository.cleanup();
    }
  });
});
