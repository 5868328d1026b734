import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runListRemoteScopes } from '@lake/sdk';
import { isSyncResult, protocolMessagesOf } from '@lake/sdk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitConnector } from '../src/index.js';
import { makeRepository, type TestRepository } from './make-repository.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);

async function lakeConnectorGit(args: string[], input?: string) {
  const child = run(process.execPath, [cli, ...args], { encoding: 'utf8' });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('remote scopes: repositories under a directory', () => {
  let root: string;
  let repositories: TestRepository[] = [];
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lake-root-'));
    await mkdir(join(root, 'team', 'nested'), { recursive: true });
    await mkdir(join(root, '.hidden'));
    for (const name of ['alpha', 'beta']) {
      const repository = await makeRepository({ commits: 2 });
      repositories.push(repository);
      await run('git', ['clone', '-q', repository.path, join(root, name)]);
    }
    await run('git', ['clone', '-q', '--bare', repositories[0]!.path, join(root, 'team', 'gamma.git')]);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await Promise.all(repositories.map((repository) => repository.cleanup()));
    repositories = [];
  });

  it('lists repositories as scopes and other directories as groups, then a group’s content', async () => {
    const top = await runListRemoteScopes({ connector: gitConnector, context: { connection: { id: 1, root } } });
    expect(top.entries.map((entry) => [entry.kind, entry.id])).toEqual([
      ['scope', 'alpha'],
      ['scope', 'beta'],
      ['group', 'team'],
    ]);
    expect(top.nextPageToken).toBeUndefined();
    const team = await runListRemoteScopes({
      connector: gitConnector,
      context: { connection: { id: 1, root } },
      groupId: 'team',
    });
    expect(team.entries.map((entry) => [entry.kind, entry.id])).toEqual([
      ['scope', 'team/gamma.git'],
      ['group', 'team/nested'],
    ]);
    const gamma = team.entries[0]!;
    expect(gamma.kind === 'scope' && gamma.scope).toEqual({ path: join(root, 'team', 'gamma.git'), name: 'gamma.git' });
  });

  it('pages through large directories and refuses groups outside the root', async () => {
    const wide = await mkdtemp(join(tmpdir(), 'lake-wide-'));
    try {
      for (let index = 0; index < 150; index += 1)
        await mkdir(join(wide, `directory-${String(index).padStart(3, '0')}`));
      const first = await runListRemoteScopes({
        connector: gitConnector,
        context: { connection: { id: 1, root: wide } },
      });
      expect(first.entries).toHaveLength(100);
      expect(first.nextPageToken).toBe('100');
      const second = await runListRemoteScopes({
        connector: gitConnector,
        context: { connection: { id: 1, root: wide } },
        pageToken: first.nextPageToken!,
      });
      expect(second.entries).toHaveLength(50);
      expect(second.nextPageToken).toBeUndefined();
      await expect(
        runListRemoteScopes({
          connector: gitConnector,
          context: { connection: { id: 1, root: wide } },
          groupId: '../..',
        }),
      ).rejects.toThrow(/outside the root/);
    } finally {
      await rm(wide, { recursive: true, force: true });
    }
  });
});

describe('the lake-connector-git binary', () => {
  let repository: TestRepository;
  let directory: string;
  beforeAll(async () => {
    repository = await makeRepository({ commits: 30 });
    directory = await mkdtemp(join(tmpdir(), 'lake-cli-'));
  });
  afterAll(async () => {
    await repository.cleanup();
    await rm(directory, { recursive: true, force: true });
  });

  it('info prints name, version, contract, streams and schemas as JSON', async () => {
    const { code, stdout } = await lakeConnectorGit(['info']);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info).toMatchObject({
      name: 'git',
      version: '0.1.0',
      contract: { version: '1.0.0' },
      domainTypes: ['CODE', 'CROSS'],
    });
    expect(info.streams.map((stream: { name: string }) => stream.name)).toEqual(['commits', 'refs', 'repository']);
    // Either path or url: the connector says which is missing (see remote-scopes-over-http.test.ts).
    expect(Object.keys(info.schemas.scope.properties)).toEqual(['path', 'url', 'name', 'repoId', 'branch']);
    expect(info.schemas.scope.required).toBeUndefined();
    expect(info.schemas.connection.properties.password).toMatchObject({ writeOnly: true, 'x-lake-secret': true });
    expect(info.schemas.connection.properties.token).toMatchObject({ writeOnly: true, 'x-lake-secret': true });
  });

  it('syncs from a context on stdin, reports the commits, and prints JSON lines with --json', async () => {
    const database = join(directory, 'lake.db');
    const context = JSON.stringify({ connection: { id: 1 }, scope: { path: repository.path } });
    const human = await lakeConnectorGit(['sync', '--context', '-', '--db', `sqlite:${database}`], context);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`commits:\\s+${repository.countAll()}\\n`));
    expect(human.stdout).toMatch(new RegExp(`commits on main:\\s+${repository.countHead()}\\n`));

    repository.addCommits(2);
    const json = await lakeConnectorGit(['sync', '--context', '-', '--db', `sqlite:${database}`, '--json'], context);
    expect(json.code).toBe(0);
    const result = protocolMessagesOf(json.stdout).find(isSyncResult);
    expect(result?.status).toBe('succeeded');
    expect(result?.streams.find((stream) => stream.name === 'commits')?.records).toBe(2);
  });

  it('runs one phase on its own: collect, then extract and convert from what was collected', async () => {
    const database = join(directory, 'phases.db');
    const contextFile = join(directory, 'phases.json');
    await writeFile(contextFile, JSON.stringify({ connection: { id: 1 }, scope: { path: repository.path } }));
    for (const phase of ['collect', 'extract', 'convert']) {
      const { code, stderr } = await lakeConnectorGit([
        phase,
        'commits',
        '--context',
        contextFile,
        '--db',
        `sqlite:${database}`,
      ]);
      expect(code, stderr).toBe(0);
    }
    const summary = await lakeConnectorGit([
      'sync',
      '--context',
      contextFile,
      '--db',
      `sqlite:${database}`,
      '--stream',
      'repository',
    ]);
    expect(summary.stdout).toMatch(new RegExp(`commits:\\s+${repository.countAll()}\\n`));
  });

  it('refuses bad input with a one-line reason and a non-zero exit', async () => {
    const inline = await lakeConnectorGit(['sync', '--context', '{"connection":{}}']);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toMatch(/not inline JSON/);

    const invalid = await lakeConnectorGit(
      ['sync', '--context', '-'],
      JSON.stringify({ connection: { id: 0, gitBinary: 7 }, scope: {} }),
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr.trim().split('\n')).toHaveLength(1);
    expect(invalid.stderr).toContain('connection.id');
    expect(invalid.stderr).toContain('connection.gitBinary');
    expect(invalid.stderr).toContain('scope.path');

    const unknown = await lakeConnectorGit(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);

    const badStream = await lakeConnectorGit(
      ['collect', 'nope', '--context', '-'],
      JSON.stringify({ connection: { id: 1 }, scope: { path: repository.path } }),
    );
    // A usage error, like every other: exit 2.
    expect(badStream.code).toBe(2);
    expect(badStream.stderr).toMatch(/unknown stream nope/);
  });

  it('test-connection reports the git version, and fails for a missing binary', async () => {
    const good = await lakeConnectorGit(
      ['test-connection', '--context', '-'],
      JSON.stringify({ connection: { id: 1 } }),
    );
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^ok: git \d+\.\d+/);
    const bad = await lakeConnectorGit(
      ['test-connection', '--context', '-', '--json'],
      JSON.stringify({ connection: { id: 1, gitBinary: '/no/git' } }),
    );
    expect(bad.code).toBe(1);
    expect(protocolMessagesOf(bad.stdout)).toEqual([
      expect.objectContaining({
        type: 'result',
        ok: false,
        message: expect.stringContaining('not found'),
      }),
    ]);
  });
});
