import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { runTestConnection } from '@lake/sdk';
import { protocolMessagesOf } from '@lake/sdk/protocol';
import { createScratchDatabase, createTestLake, type TestLake, testDialects } from '@lake/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorPathOf } from '../src/git/remote-mirror.js';
import { gitConnector } from '../src/index.js';
import { makeRepository, type TestRepository } from './make-repository.js';
import { type GitHttpServer, startGitHttpServer } from './support/git-http-server.js';
import { withLakeOn } from './support/lake-on.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const USERNAME = 'lake-bot';
const PASSWORD = 'pw-Zr8uQ3xN5vL0-remote-secret';
const WRONG_PASSWORD = 'pw-wrong-Kq2mT7-not-it';
/** Every form a secret could leak in: as given, and inside the Basic header. */
const SECRET_FORMS = [PASSWORD, WRONG_PASSWORD, ...[PASSWORD, WRONG_PASSWORD].map(basic)];

function basic(password: string): string {
  return Buffer.from(`${USERNAME}:${password}`).toString('base64');
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd, encoding: 'utf8' })).stdout.trim();
}

/** An upstream served over HTTP, a work tree that pushes to it, and a cache directory. */
interface Remote {
  work: TestRepository;
  projectRoot: string;
  upstream: string;
  server: GitHttpServer;
  url: string;
  cacheDir: string;
  /** A git "binary" that records its argument lists before running git. */
  gitBinary: string;
  argumentLog: string;
  cleanup(): Promise<void>;
}

async function startRemote(commits: number): Promise<Remote> {
  const work = await makeRepository({ commits, mergeEvery: 5 });
  const projectRoot = await mkdtemp(join(tmpdir(), 'lake-http-root-'));
  const cacheDir = await mkdtemp(join(tmpdir(), 'lake-git-cache-'));
  const upstream = join(projectRoot, 'team', 'project.git');
  await run('git', ['clone', '--quiet', '--bare', work.path, upstream]);
  const server = await startGitHttpServer({ projectRoot, username: USERNAME, password: PASSWORD });
  const argumentLog = join(cacheDir, '..', `${cacheDir.split('/').at(-1)}-arguments.log`);
  const gitBinary = join(projectRoot, 'recording-git');
  await writeFile(gitBinary, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argumentLog}'\nexec git "$@"\n`);
  await chmod(gitBinary, 0o755);
  return {
    work,
    projectRoot,
    upstream,
    server,
    url: `${server.origin}/team/project.git`,
    cacheDir,
    gitBinary,
    argumentLog,
    async cleanup() {
      await server.close();
      await work.cleanup();
      await Promise.all([projectRoot, cacheDir, argumentLog].map((path) => rm(path, { recursive: true, force: true })));
    },
  };
}

const connectionOf = (remote: Remote, password = PASSWORD) => ({
  id: 1,
  username: USERNAME,
  password,
  cacheDir: remote.cacheDir,
  gitBinary: remote.gitBinary,
});

const contextOf = (remote: Remote, scope: Record<string, unknown> = {}, password = PASSWORD) => ({
  connection: connectionOf(remote, password),
  scope: { url: remote.url, ...scope },
});

/** Every row of every table the lake has, as text: where a secret must not be. */
async function everyRowAsText(lake: TestLake): Promise<string> {
  const tables = await lake.store.db.introspection.getTables();
  expect(tables.length).toBeGreaterThan(10);
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await lake.store.db.selectFrom(table.name).selectAll().execute();
    parts.push(JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? String(value) : value)));
  }
  return parts.join('\n');
}

async function commitShas(lake: TestLake, repoId: string): Promise<string[]> {
  return (await lake.rows('repo_commits', { repo_id: repoId })).map((row) => String(row.commit_sha)).sort();
}

async function upstreamShas(remote: Remote): Promise<string[]> {
  return (await git(remote.upstream, 'rev-list', '--all')).split('\n').sort();
}

describe.each(testDialects())('a url scope over smart HTTP with Basic auth, on %s', (dialect) => {
  let remote: Remote;
  beforeAll(async () => {
    remote = await startRemote(24);
  });
  afterAll(async () => remote.cleanup());

  it('refuses wrong credentials with GIT_AUTH_FAILED, no secret in the message, and no mirror left', async () => {
    await withLakeOn(dialect, async (lake) => {
      const result = await lake.sync(contextOf(remote, {}, WRONG_PASSWORD));
      expect(result.status).toBe('failed');
      expect(result.error?.code).toBe('GIT_AUTH_FAILED');
      expect(result.error?.message).toContain(remote.url);
      for (const secret of SECRET_FORMS) expect(result.error?.message).not.toContain(secret);
      expect(remote.server.authorizations).toContain(`Basic ${basic(WRONG_PASSWORD)}`);
      expect(await readdir(remote.cacheDir)).toEqual([]);
      expect(await lake.count('commits')).toBe(0);
    });
  });

  it('has a test server that answers a gzip-compressed upload-pack request as git http-backend does', async () => {
    const head = await git(remote.upstream, 'rev-parse', 'main');
    const line = (text: string) => `${(text.length + 4).toString(16).padStart(4, '0')}${text}`;
    const body = gzipSync(`${line(`want ${head}\n`)}0000${line('done\n')}`);
    const response = await fetch(`${remote.url}/git-upload-pack`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic(PASSWORD)}`,
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    const answer = Buffer.from(await response.arrayBuffer());
    expect(answer.subarray(0, 8).toString()).toBe('0008NAK\n');
    expect(answer.subarray(8, 12).toString()).toBe('PACK');
  });

  it('clones, then fetches exactly what was pushed, then a force-push, then a full sync drops what upstream dropped', async () => {
    await withLakeOn(dialect, async (lake) => {
      const repoId = `git:GitRepo:1:${remote.url}`;
      await lake.syncOrThrow(contextOf(remote));
      const first = await upstreamShas(remote);
      expect(first.length).toBeGreaterThan(24);
      expect(await commitShas(lake, repoId)).toEqual(first);
      const [repository] = await lake.rows('repos');
      expect(repository).toMatchObject({ id: repoId, name: 'project', url: remote.url });
      const mirror = mirrorPathOf(remote.cacheDir, remote.url);
      expect(await readdir(remote.cacheDir)).toEqual([mirror.split('/').at(-1)]);
      expect(await git(mirror, 'config', 'remote.origin.url')).toBe(remote.url);

      // Unchanged upstream: the change check fetches and finds nothing new.
      expect((await lake.sync(contextOf(remote))).status).toBe('skipped');

      const before = await git(remote.work.path, 'rev-parse', 'main');
      remote.work.addCommits(3, 'pushed');
      await git(remote.work.path, 'push', '--quiet', remote.upstream, 'main');
      const pushed = (await git(remote.work.path, 'rev-list', `${before}..main`)).split('\n').sort();
      expect(pushed).toHaveLength(3);
      const result = await lake.syncOrThrow(contextOf(remote));
      const commitsStream = result.streams.find((stream) => stream.name === 'commits');
      expect(commitsStream?.records).toBe(3);
      const afterPush = await commitShas(lake, repoId);
      expect(afterPush.filter((sha) => !first.includes(sha)).sort()).toEqual(pushed);
      expect(afterPush).toEqual(await upstreamShas(remote));

      // Upstream drops the three pushed commits and one more, and adds one of its own.
      await git(remote.work.path, 'reset', '--quiet', '--hard', 'main~4');
      remote.work.addCommits(1, 'rewritten');
      await git(remote.work.path, 'push', '--quiet', '--force', remote.upstream, 'main');
      const rewritten = await git(remote.work.path, 'rev-parse', 'main');
      const dropped = afterPush.filter((sha) => !first.includes(sha) || sha === before);
      await lake.syncOrThrow(contextOf(remote));
      const afterForce = await commitShas(lake, repoId);
      expect(afterForce).toContain(rewritten);
      expect(afterForce).toHaveLength(afterPush.length + 1);
      const [main] = await lake.rows('refs', { id: `${repoId}:main` });
      expect(main?.commit_sha).toBe(rewritten);

      // Commits no ref reaches any more go at the next full sync, as for a local repository.
      await lake.syncOrThrow(contextOf(remote), { full: true });
      const afterFull = await commitShas(lake, repoId);
      expect(afterFull).toEqual(await upstreamShas(remote));
      for (const sha of dropped) expect(afterFull).not.toContain(sha);
      expect(await lake.count('commits')).toBe(afterFull.length);

      const text = await everyRowAsText(lake);
      for (const secret of SECRET_FORMS) expect(text).not.toContain(secret);
      for (const file of ['config', 'FETCH_HEAD', 'HEAD', 'packed-refs']) {
        const content = await readFile(join(mirror, file), 'utf8').catch(() => '');
        for (const secret of SECRET_FORMS) expect(content).not.toContain(secret);
      }
      const argumentLists = await readFile(remote.argumentLog, 'utf8');
      expect(argumentLists).toContain('fetch --prune --quiet origin');
      for (const secret of SECRET_FORMS) expect(argumentLists).not.toContain(secret);
    });
  });
});

describe('url scopes: credentials in the URL, failures, concurrency, repoId, the CLI', () => {
  let remote: Remote;
  beforeAll(async () => {
    remote = await startRemote(12);
  });
  afterAll(async () => remote.cleanup());

  it('takes credentials from the URL, stores it without them, and keeps them out of every table', async () => {
    const lake = await createTestLake({ connector: gitConnector });
    try {
      const withCredentials = remote.url.replace('http://', `http://${USERNAME}:${PASSWORD}@`);
      await lake.syncOrThrow({
        connection: { id: 1, cacheDir: remote.cacheDir, gitBinary: remote.gitBinary },
        scope: { url: withCredentials },
      });
      const [repository] = await lake.rows('repos');
      expect(repository?.id).toBe(`git:GitRepo:1:${remote.url}`);
      expect(repository?.url).toBe(remote.url);
      expect(await lake.count('repo_commits')).toBe((await upstreamShas(remote)).length);
      const text = await everyRowAsText(lake);
      for (const secret of [...SECRET_FORMS, `${USERNAME}:`]) expect(text).not.toContain(secret);
      const argumentLists = await readFile(remote.argumentLog, 'utf8');
      for (const secret of SECRET_FORMS) expect(argumentLists).not.toContain(secret);
    } finally {
      await lake.close();
    }
  });

  it('keeps the mirror when a later fetch fails, and says GIT_REMOTE_UNREACHABLE for a closed port', async () => {
    const lake = await createTestLake({ connector: gitConnector });
    try {
      await lake.syncOrThrow(contextOf(remote));
      const mirror = mirrorPathOf(remote.cacheDir, remote.url);
      const tips = await git(mirror, 'for-each-ref', '--format=%(refname) %(objectname)');
      remote.work.addCommits(1, 'not fetched');
      await git(remote.work.path, 'push', '--quiet', remote.upstream, 'main');
      const refused = await lake.sync(contextOf(remote, {}, WRONG_PASSWORD));
      expect(refused.error?.code).toBe('GIT_AUTH_FAILED');
      expect(await git(mirror, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(tips);
      expect((await git(mirror, 'fsck', '--no-progress')).trim()).toBe('');

      const closed = await startGitHttpServer({
        projectRoot: remote.projectRoot,
        username: USERNAME,
        password: PASSWORD,
      });
      await closed.close();
      const unreachable = await lake.sync({
        connection: connectionOf(remote),
        scope: { url: `${closed.origin}/team/project.git` },
      });
      expect(unreachable.status).toBe('failed');
      expect(unreachable.error?.code).toBe('GIT_REMOTE_UNREACHABLE');
      expect(unreachable.error?.message).not.toContain(PASSWORD);
    } finally {
      await lake.close();
    }
  });

  it('lets two syncs of one URL share a fresh cache: one clones, the other waits and fetches', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'lake-git-shared-cache-'));
    const lakes = await Promise.all([1, 2].map(() => createTestLake({ connector: gitConnector })));
    try {
      const context = { connection: { ...connectionOf(remote), cacheDir }, scope: { url: remote.url } };
      const results = await Promise.all(lakes.map((lake) => lake.sync(context)));
      expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded']);
      const expected = (await upstreamShas(remote)).length;
      for (const lake of lakes) expect(await lake.count('repo_commits')).toBe(expected);
      const mirror = mirrorPathOf(cacheDir, remote.url);
      expect(await readdir(cacheDir)).toEqual([mirror.split('/').at(-1)]);
      expect((await git(mirror, 'fsck', '--no-progress')).trim()).toBe('');
    } finally {
      await Promise.all(lakes.map((lake) => lake.close()));
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it('writes under repoId, and moves every row to a new repoId at the full sync it asks for', async () => {
    const lake = await createTestLake({ connector: gitConnector });
    try {
      const oldId = 'github:GithubRepo:1:123456';
      const newId = 'github:GithubRepo:1:654321';
      await lake.syncOrThrow(contextOf(remote, { repoId: oldId }));
      const commits = (await upstreamShas(remote)).length;
      expect(await lake.count('repos', { id: oldId })).toBe(1);
      expect(await lake.count('repo_commits', { repo_id: oldId })).toBe(commits);
      const refs = await lake.rows('refs');
      expect(refs.length).toBeGreaterThan(1);
      for (const ref of refs) {
        expect(ref.repo_id).toBe(oldId);
        expect(String(ref.id).startsWith(`${oldId}:`)).toBe(true);
      }
      expect(
        gitConnector.domainScopes({ scope: { url: remote.url, repoId: oldId }, scopeId: remote.url } as never),
      ).toEqual([{ table: 'repos', id: oldId }]);

      const changed = await lake.sync(contextOf(remote, { repoId: newId }));
      expect(changed.status).toBe('failed');
      expect(changed.error?.code).toBe('CONFIG_INVALID');
      expect(changed.error?.message).toContain(`from ${oldId} to ${newId}`);
      for (const [table, column] of [
        ['repos', 'id'],
        ['repo_commits', 'repo_id'],
        ['refs', 'repo_id'],
      ] as const) {
        expect(await lake.count(table, { [column]: newId })).toBe(0);
      }
      expect(await lake.count('repo_commits', { repo_id: oldId })).toBe(commits);

      await lake.syncOrThrow(contextOf(remote, { repoId: newId }), { full: true });
      for (const [table, column] of [
        ['repos', 'id'],
        ['repo_commits', 'repo_id'],
        ['refs', 'repo_id'],
      ] as const) {
        expect(await lake.count(table, { [column]: oldId })).toBe(0);
      }
      expect(await lake.count('repos', { id: newId })).toBe(1);
      expect(await lake.count('repo_commits', { repo_id: newId })).toBe(commits);
      expect(await lake.count('refs', { repo_id: newId })).toBe(refs.length);
      expect(await lake.count('commits')).toBe(commits);
    } finally {
      await lake.close();
    }
  });

  it('test-connection runs git ls-remote with the credentials', async () => {
    const ok = await runTestConnection({
      connector: gitConnector,
      context: { connection: { ...connectionOf(remote), pingUrl: remote.url } },
    });
    expect(ok.ok).toBe(true);
    const heads = (await git(remote.upstream, 'for-each-ref', 'refs/heads', 'refs/tags')).split('\n').length;
    expect(ok.details).toMatchObject({ url: remote.url, refs: heads });
    const refused = await runTestConnection({
      connector: gitConnector,
      context: { connection: { ...connectionOf(remote, WRONG_PASSWORD), pingUrl: remote.url } },
    });
    expect(refused).toMatchObject({ ok: false, details: { code: 'GIT_AUTH_FAILED' } });
    for (const secret of SECRET_FORMS) expect(JSON.stringify(refused)).not.toContain(secret);
  });

  it('keeps secrets out of the protocol output of the connector binary, failing or not', async () => {
    const database = await createScratchDatabase('sqlite');
    try {
      for (const password of [WRONG_PASSWORD, PASSWORD]) {
        const child = run(process.execPath, [cli, 'sync', '--context', '-', '--db', database.url, '--json'], {
          encoding: 'utf8',
        });
        child.child.stdin?.end(JSON.stringify(contextOf(remote, {}, password)));
        const output = await child.then(
          ({ stdout, stderr }) => ({ code: 0, text: stdout + stderr, stdout }),
          (error: { code: number; stdout: string; stderr: string }) => ({
            code: error.code,
            text: error.stdout + error.stderr,
            stdout: error.stdout,
          }),
        );
        expect(output.code).toBe(password === PASSWORD ? 0 : 1);
        expect(protocolMessagesOf(output.stdout).length).toBeGreaterThan(0);
        for (const secret of SECRET_FORMS) expect(output.text).not.toContain(secret);
      }
    } finally {
      await database.drop();
    }
  });
});

describe('url scopes: file:// remotes and the scope schema', () => {
  it('mirrors a file:// bare repository and names it after its directory', async () => {
    const work = await makeRepository({ commits: 8 });
    const cacheDir = await mkdtemp(join(tmpdir(), 'lake-git-file-cache-'));
    const bare = `${cacheDir}-upstream.git`;
    const lake = await createTestLake({ connector: gitConnector });
    try {
      await run('git', ['clone', '--quiet', '--bare', work.path, bare]);
      const url = `file://${bare}`;
      // What a clone killed half-way leaves: the next clone, under the lock, removes it.
      const abandoned = `${mirrorPathOf(cacheDir, url)}.partial-1-0badf00d`;
      await mkdir(join(abandoned, 'objects'), { recursive: true });
      await lake.syncOrThrow({ connection: { id: 1, cacheDir }, scope: { url, branch: 'main' } });
      expect(await readdir(cacheDir)).toEqual([mirrorPathOf(cacheDir, url).split('/').at(-1)]);
      expect(await lake.count('repo_commits', { repo_id: `git:GitRepo:1:${url}` })).toBe(work.countAll());
      const [repository] = await lake.rows('repos');
      expect(repository?.name).toBe(
        bare
          .split('/')
          .at(-1)!
          .replace(/\.git$/, ''),
      );
      const defaults = await lake.rows('refs', { is_default: 1 });
      expect(defaults.map((ref) => ref.name)).toEqual(['main']);
      expect((await stat(mirrorPathOf(cacheDir, url))).isDirectory()).toBe(true);
    } finally {
      await lake.close();
      await work.cleanup();
      await Promise.all([cacheDir, bare].map((path) => rm(path, { recursive: true, force: true })));
    }
  });

  it('needs exactly one of path and url, a remote URL, and a domain-id-shaped repoId, naming the field', () => {
    const problems = (scope: Record<string, unknown>) =>
      gitConnector.scope.schema.safeParse(scope).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(problems({ path: '/a', url: 'https://example.org/a.git' })).toEqual([
      ['url', 'give either path or url, not both'],
    ]);
    expect(problems({ name: 'x' })).toEqual([['path', 'give path (a local repository) or url (a remote one)']]);
    expect(problems({ url: 'relative/path' })?.[0]?.[0]).toBe('url');
    expect(problems({ url: 'ftp://example.org/a.git' })?.[0]?.[0]).toBe('url');
    expect(problems({ url: 'https://example.org/a.git', repoId: 'GithubRepo:1' })?.[0]?.[0]).toBe('repoId');
    expect(problems({ url: `https://example.org/${'a'.repeat(200)}.git` })?.[0]).toEqual([
      'url',
      "must be at most 200 characters without its credentials (it is the scope's id)",
    ]);
    expect(problems({ url: `https://user:${'p'.repeat(150)}@example.org/${'a'.repeat(150)}.git` })).toBeUndefined();
    for (const url of [
      'https://example.org/a.git',
      'http://127.0.0.1:8080/a.git',
      'ssh://git@example.org:2222/a.git',
      'git@github.com:owner/a.git',
      'file:///srv/git/a.git',
    ]) {
      expect(problems({ url, repoId: 'github:GithubRepo:1:123456' })).toBeUndefined();
    }
  });
});
