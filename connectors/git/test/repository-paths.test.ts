import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestLake, type TestLake } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitConnector } from '../src/index.js';
import { makeRepository, type TestRepository } from './make-repository.js';
import { contextFor } from './support/lake-on.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

describe('a repository path git cannot work in is named, with what is wrong with it', () => {
  let directory: string;
  let repository: TestRepository;
  let lake: TestLake;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-paths-'));
    repository = await makeRepository({ commits: 3 });
    lake = await createTestLake({ connector: gitConnector });
  });
  afterAll(async () => {
    await lake.close();
    await repository.cleanup();
    await chmod(join(directory, 'locked'), 0o755).catch(() => {});
    await rm(directory, { recursive: true, force: true });
  });

  const failureOf = async (path: string, connection: Record<string, unknown> = {}) => {
    const result = await lake.sync({ ...contextFor(path), connection: { id: 1, ...connection } });
    expect(result.status).toBe('failed');
    return result.error?.message ?? '';
  };

  it('a path that does not exist', async () => {
    const path = join(directory, 'missing');
    const message = await failureOf(path);
    expect(message).toBe(`[lake] [git] repository path ${path} does not exist`);
  });

  it('a file, and a path that goes through a file', async () => {
    const file = join(directory, 'a-file');
    await writeFile(file, 'not a repository');
    expect(await failureOf(file)).toBe(`[lake] [git] repository path ${file} is not a directory`);
    const below = join(file, 'below');
    expect(await failureOf(below)).toBe(
      `[lake] [git] repository path ${below} does not exist (a part of it is a file, not a directory)`,
    );
  });

  it('a loop of symbolic links, and a link to nothing', async () => {
    const loop = join(directory, 'loop-a');
    await symlink(join(directory, 'loop-b'), loop);
    await symlink(loop, join(directory, 'loop-b'));
    expect(await failureOf(loop)).toBe(`[lake] [git] repository path ${loop} is a loop of symbolic links`);
    const dangling = join(directory, 'dangling');
    await symlink(join(directory, 'nowhere'), dangling);
    expect(await failureOf(dangling)).toBe(
      `[lake] [git] repository path ${dangling} is a symbolic link to something that does not exist`,
    );
  });

  it('a directory that is not a repository', async () => {
    const plain = join(directory, 'plain');
    await mkdir(plain);
    expect(await failureOf(plain)).toBe(`[lake] [git] ${plain} is not a git repository`);
    const broken = join(directory, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, '.git'), 'this is not a gitfile');
    expect(await failureOf(broken)).toMatch(
      new RegExp(`^\\[lake\\] \\[git\\] git cannot read ${broken} as a repository: fatal: invalid gitfile format`),
    );
  });

  it('a missing git binary is named only when the binary is what is missing', async () => {
    expect(await failureOf(repository.path, { gitBinary: '/nonexistent/git' })).toBe(
      '[lake] [git] git binary "/nonexistent/git" not found',
    );
    const missing = join(directory, 'missing-too');
    expect(await failureOf(missing, { gitBinary: '/nonexistent/git' })).toBe(
      `[lake] [git] repository path ${missing} does not exist`,
    );
  });

  it('a directory git may not read', async () => {
    const locked = join(directory, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o000);
    const contextFile = join(directory, 'locked.json');
    await writeFile(contextFile, JSON.stringify(contextFor(locked)));
    // As root, permissions are not checked unless the capabilities that bypass them are dropped.
    const root = process.getuid?.() === 0;
    if (root && !existsSync('/usr/bin/setpriv')) throw new Error('running as root needs setpriv to test permissions');
    const command = [
      process.execPath,
      cli,
      'sync',
      '--context',
      contextFile,
      '--db',
      `sqlite:${join(directory, 'l.db')}`,
    ];
    const [file, ...args] = root
      ? ['/usr/bin/setpriv', '--bounding-set=-dac_override,-dac_read_search', ...command]
      : command;
    const failure = await run(file!, args, { encoding: 'utf8' }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain(`permission denied on repository path ${locked}`);
  });
});

describe('a repository reached through a symbolic link', () => {
  it('is the same scope as the repository itself, with one set of rows', async () => {
    const repository = await makeRepository({ commits: 12, mergeEvery: 5 });
    const directory = await mkdtemp(join(tmpdir(), 'lake-link-'));
    const link = join(directory, 'link');
    await symlink(repository.path, link);
    const lake = await createTestLake({ connector: gitConnector });
    try {
      const direct = await lake.syncOrThrow(contextFor(repository.path));
      const linked = await lake.sync(contextFor(link), { streams: ['commits', 'refs', 'repository'] });
      expect(linked.status).toBe('succeeded');
      expect(linked.scopeId).toBe(direct.scopeId);
      expect(direct.scopeId).toBe(repository.path);
      expect(await lake.count('repos')).toBe(1);
      expect(await lake.count('_tool_git_repos')).toBe(1);
      expect(await lake.count('repo_commits')).toBe(repository.countAll());
      expect(await lake.count('_tool_git_commits')).toBe(repository.countAll());
      expect(await lake.count('refs')).toBe(repository.git('for-each-ref').split('\n').length);
      // A relative path with `..` through the link is the same scope too.
      const relative = await lake.sync(contextFor(join(link, '..', 'link')), { streams: ['repository'] });
      expect(relative.scopeId).toBe(repository.path);
    } finally {
      await lake.close();
      await repository.cleanup();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
