import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  addUser,
  generateSigningKey,
  npmrcFor,
  packageManagerEnvironment,
  type RunningRegistry,
  type SigningKey,
  startRegistry,
} from '@lake-tools/registry-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SKIPPED = new Set(['node_modules', '.lake', 'coverage', '.git']);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command, never throwing: the test looks at the exit code and the output. */
/**
 * One command's budget: a hung package manager (a registry that stops answering) fails the
 * test with what the command printed so far, instead of the whole suite's timeout.
 */
const TIME_SCALE = Number(process.env.LAKE_TEST_TIME_SCALE) || 1;
const COMMAND_BUDGET_MS = 300_000 * TIME_SCALE;
/**
 * A whole release: build (turbo's cache), publint and attw on every package at once, then a
 * pack and a signed publish each. Eleven packages on a two-core machine running other suites
 * took over 300 s (2026-12-03); a hung registry still fails it with its output.
 */
const RELEASE_BUDGET_MS = 600_000 * TIME_SCALE;

async function command(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; budgetMs?: number },
): Promise<Outcome> {
  const budgetMs = options.budgetMs ?? COMMAND_BUDGET_MS;
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: options.cwd,
      env: options.env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: budgetMs,
      killSignal: 'SIGKILL',
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; killed?: boolean; stdout?: string; stderr?: string };
    const stopped = failure.killed ? `\n[test] ${file} ${args.join(' ')} was stopped after ${budgetMs} ms\n` : '';
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: `${failure.stderr ?? ''}${stopped}`,
    };
  }
}

/**
 * The consumer's third-party packages come from the public registry. Where TLS to it goes
 * through a proxy whose CA only `NODE_EXTRA_CA_CERTS` / `SSL_CERT_FILE` name, a task runner that
 * drops those variables (turbo's strict env mode did, 2026-12-03) leaves pnpm retrying a
 * certificate error silently until the command's budget ends; this says why in a second.
 */
async function expectPublicRegistryTrusted(): Promise<void> {
  const failure = await fetch('https://registry.npmjs.org/hpagent', { signal: AbortSignal.timeout(60_000) }).then(
    (response) => (response.ok ? undefined : `HTTP ${response.status}`),
    (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
  );
  expect(
    failure,
    'the public npm registry is not usable from this test; on a certificate error, pass the CA variables through (turbo.json globalPassThroughEnv)',
  ).toBeUndefined();
}

describe('releasing to the private registry', () => {
  let workdir: string;
  let repository: string;
  let registry: RunningRegistry;
  let environment: NodeJS.ProcessEnv;
  let token: string;
  /** The team's release key, made for this test; the private half never leaves the work directory. */
  let releaseKey: SigningKey;

  const versions = async (name: string): Promise<string[]> => {
    const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status === 404) return [];
    return Object.keys(((await response.json()) as { versions: Record<string, unknown> }).versions).sort();
  };
  // Asynchronous, as every child process of a test: a synchronous one blocks the vitest worker.
  const git = async (...args: string[]) => (await run('git', args, { cwd: repository })).stdout.trim();

  beforeAll(async () => {
    workdir = await mkdtemp(join(tmpdir(), 'lake-release-'));
    repository = join(workdir, 'repository');
    // A copy of the working tree (built packages and turbo's cache included), so that releasing changes nothing here.
    await cp(repositoryRoot, repository, {
      recursive: true,
      filter: (source) => !SKIPPED.has(source.split('/').at(-1)!),
    });
    // Start from a state with no pending changesets, so that the one this test adds is the only one.
    for (const file of await readdir(join(repository, '.changeset'))) {
      if (file.endsWith('.md') && file !== 'README.md') await rm(join(repository, '.changeset', file));
    }
    registry = await startRegistry({ directory: join(workdir, 'registry'), port: 0, uplink: true });
    token = (await addUser(registry.url, 'lake-releaser', 'a-long-passphrase')).token;
    await writeFile(join(workdir, 'npmrc'), npmrcFor(registry.url, token, { scopeOnly: true }));
    const generated = generateSigningKey();
    releaseKey = generated.key;
    await writeFile(join(workdir, 'release-key.pem'), generated.privateKeyPem, { mode: 0o600 });
    environment = packageManagerEnvironment(process.env, {
      npm_config_userconfig: join(workdir, 'npmrc'),
      LAKE_REGISTRY_URL: registry.url,
      LAKE_SIGNING_KEY_FILE: join(workdir, 'release-key.pem'),
      CI: 'true',
    });
    await command('pnpm', ['install', '--offline', '--frozen-lockfile'], { cwd: repository, env: environment });
    await git('init', '-q', '-b', 'main');
    await git('config', 'user.email', 'release@example.org');
    await git('config', 'user.name', 'Release Test');
    await git('add', '-A');
    await git('commit', '-qm', 'snapshot');
  });

  afterAll(async () => {
    await registry?.close();
    await rm(workdir, { recursive: true, force: true });
  });

  /** `dist.signatures` of a published version, checked with the release key's public half. */
  const signedBy = async (name: string, version: string, key: SigningKey): Promise<boolean> => {
    const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const document = (await response.json()) as {
      versions: Record<string, { dist: { integrity: string; signatures?: Array<{ keyid: string; sig: string }> } }>;
    };
    const { integrity, signatures = [] } = document.versions[version]!.dist;
    const publicKey = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
    return signatures.some(
      (signature) =>
        signature.keyid === key.keyid &&
        verify(null, Buffer.from(`${name}@${version}:${integrity}`), publicKey, Buffer.from(signature.sig, 'base64')),
    );
  };

  it('refuses to release without a signing key, before building or publishing anything', async () => {
    const { LAKE_SIGNING_KEY_FILE: _key, ...unsigned } = environment;
    const refused = await command(process.execPath, ['tools/release/src/release.ts'], {
      cwd: repository,
      env: unsigned,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pnpm release signs every package it publishes: set LAKE_SIGNING_KEY_FILE');
    expect(refused.stdout).not.toContain('turbo');
    expect(await versions('@lake/sdk')).toEqual([]);
  });

  it(
    'publishes every package, then only the one a changeset bumps',
    async () => {
      const first = await command(process.execPath, ['tools/release/src/release.ts'], {
        cwd: repository,
        env: environment,
        budgetMs: RELEASE_BUDGET_MS,
      });
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const published = [
        '@lake/sdk',
        '@lake/testkit',
        '@lake/runtime',
        '@lake/registry',
        '@lake/connector-git',
        '@lake/connector-github',
        '@lake/connector-gitlab',
        '@lake/connector-jenkins',
        '@lake/connector-jira',
        '@lake/connector-webhook',
        '@lake/metrics-dora',
      ];
      const before: Record<string, string[]> = {};
      for (const name of published) {
        before[name] = await versions(name);
        expect(before[name], name).toHaveLength(1);
      }
      expect(before['@lake/sdk']).toEqual(['1.0.0']);
      // Each tarball's integrity is signed with the release key, where npm puts registry signatures.
      for (const name of published) expect(await signedBy(name, before[name]![0]!, releaseKey), name).toBe(true);
      expect((await git('tag', '--list')).split('\n').sort()).toEqual([
        `@lake/connector-git@${before['@lake/connector-git']![0]}`,
        `@lake/connector-github@${before['@lake/connector-github']![0]}`,
        `@lake/connector-gitlab@${before['@lake/connector-gitlab']![0]}`,
        `@lake/connector-jenkins@${before['@lake/connector-jenkins']![0]}`,
        `@lake/connector-jira@${before['@lake/connector-jira']![0]}`,
        `@lake/connector-webhook@${before['@lake/connector-webhook']![0]}`,
        `@lake/metrics-dora@${before['@lake/metrics-dora']![0]}`,
        `@lake/registry@${before['@lake/registry']![0]}`,
        `@lake/runtime@${before['@lake/runtime']![0]}`,
        '@lake/sdk@1.0.0',
        `@lake/testkit@${before['@lake/testkit']![0]}`,
      ]);

      await writeFile(
        join(repository, '.changeset', 'quiet-git-fix.md'),
        '---\n"@lake/connector-git": patch\n---\n\nRead refs of repositories whose HEAD is detached.\n',
      );
      const versioned = await command('pnpm', ['changeset', 'version'], { cwd: repository, env: environment });
      expect(versioned.code, versioned.stderr).toBe(0);
      const gitManifest = JSON.parse(await readFile(join(repository, 'connectors/git/package.json'), 'utf8')) as {
        version: string;
      };
      expect(gitManifest.version).toBe('0.1.1');
      const changelog = await readFile(join(repository, 'connectors/git/CHANGELOG.md'), 'utf8');
      expect(changelog).toMatch(
        /^# @lake\/connector-git\n\n## 0\.1\.1\n[\s\S]*Read refs of repositories whose HEAD is detached[\s\S]*## 0\.1\.0/,
      );
      // The changeset is consumed; nothing but the git connector changed.
      const changed = [
        ...(await git('diff', '--name-only')).split('\n'),
        ...(await git('ls-files', '--others', '--exclude-standard')).split('\n'),
      ];
      expect(changed.filter(Boolean).sort()).toEqual(['connectors/git/CHANGELOG.md', 'connectors/git/package.json']);
      await git('add', '-A');
      await git('commit', '-qm', 'Version packages');

      const second = await command(process.execPath, ['tools/release/src/release.ts'], {
        cwd: repository,
        env: environment,
        budgetMs: RELEASE_BUDGET_MS,
      });
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(await versions('@lake/connector-git')).toEqual(['0.1.0', '0.1.1']);
      for (const name of published.filter((candidate) => candidate !== '@lake/connector-git')) {
        expect(await versions(name), name).toEqual(before[name]);
      }
      expect(await git('tag', '--list')).toContain('@lake/connector-git@0.1.1');
      expect(await signedBy('@lake/connector-git', '0.1.1', releaseKey)).toBe(true);
      // Two whole releases (build, publint and attw of every package, pack, sign, publish), on
      // a machine that may be running other suites.
    },
    2 * RELEASE_BUDGET_MS + 60_000,
  );

  it('lake install takes the signed release when lake.yaml trusts the key, refuses it otherwise, and survives a rotation', async () => {
    const lakeCli = join(repository, 'packages/runtime/dist/cli.js');
    const runtime = join(workdir, 'runtime');
    await mkdir(runtime);
    const lake = (...args: string[]) =>
      command(process.execPath, [lakeCli, ...args], {
        cwd: runtime,
        env: { ...environment, LAKE_RELEASE_TOKEN: token },
      });
    const manifest = (keys: string[]) =>
      `registry:\n  url: ${registry.url}\n  token: \${LAKE_RELEASE_TOKEN}\ntrust:\n  keys:\n${keys.map((key) => `    - ${key}\n`).join('')}connectors:\n  git: shipped\n`;
    const otherKey = generateSigningKey().key;

    // Only a key that did not sign the release: refused, nothing written.
    await writeFile(join(runtime, 'lake.yaml'), manifest([otherKey.publicKey]));
    const refused = await lake('install');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is signed only by ${releaseKey.keyid}, which lake.yaml does not trust`);
    expect((await readdir(runtime)).filter((entry) => entry !== '.lake')).toEqual(['lake.yaml']);
    expect(await readdir(join(runtime, '.lake/connectors')).catch(() => [])).toEqual([]);

    // The release key, next to the key it will be rotated to: installed, signatures recorded.
    await writeFile(join(runtime, 'lake.yaml'), manifest([releaseKey.publicKey, otherKey.publicKey]));
    const installed = await lake('install');
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/git +added +0\.1\.0 +registry/);
    const lock = parse(await readFile(join(runtime, 'lake.lock'), 'utf8')) as {
      connectors: { git: { signatures: Record<string, { keyid: string }> } };
    };
    expect(lock.connectors.git.signatures['node_modules/@lake/connector-git']?.keyid).toBe(releaseKey.keyid);
    expect(lock.connectors.git.signatures['node_modules/@lake/sdk']?.keyid).toBe(releaseKey.keyid);
    const verified = await lake('verify');
    expect(verified.code, verified.stdout).toBe(0);
  });

  it('installs the new version into a fresh project, with its pinned dependencies, and its CLI syncs', async () => {
    const project = join(workdir, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'lake-consumer', private: true }));
    // @lake packages from our registry; third-party ones from the public registry, or pnpm's
    // cache of it (the workspace install filled it), so the test does not hang on the network.
    await writeFile(join(project, '.npmrc'), npmrcFor(registry.url, token, { scopeOnly: true }));
    await expectPublicRegistryTrusted();
    const added = await command('pnpm', ['add', '--prefer-offline', '@lake/connector-git@0.1.1'], {
      cwd: project,
      env: { ...environment, npm_config_userconfig: join(project, '.npmrc') },
    });
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@lake/connector-git']).toBe('0.1.1');
    const installed = (name: string) =>
      readFile(join(project, 'node_modules/.pnpm/node_modules', name, 'package.json'), 'utf8').then(
        (text) => JSON.parse(text).version as string,
      );
    expect(await installed('@lake/sdk')).toBe('1.0.0');
    const sdkManifest = JSON.parse(await readFile(join(repositoryRoot, 'packages/sdk/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries(sdkManifest.dependencies))
      expect(await installed(name), name).toBe(version);

    const context = join(project, 'context.json');
    await writeFile(context, JSON.stringify({ connection: { id: 1 }, scope: { path: repositoryRoot } }));
    const sync = await command(
      process.execPath,
      [
        join(project, 'node_modules/@lake/connector-git/dist/cli.js'),
        'sync',
        '--context',
        context,
        '--db',
        `sqlite:${join(project, 'lake.db')}`,
      ],
      {
        cwd: project,
        env: environment,
      },
    );
    expect(sync.code, sync.stderr).toBe(0);
    const commits = (await run('git', ['rev-list', '--count', '--all'], { cwd: repositoryRoot })).stdout.trim();
    expect(sync.stdout).toMatch(new RegExp(`^commits:\\s+${commits}$`, 'm'));
  });

  it('refuses anonymous publishing, a wrong password, a version published before, and packages outside @lake', async () => {
    let attempt = 0;
    const publish = async (name: string, version: string, userconfig: string) => {
      attempt += 1;
      const directory = join(workdir, 'packages', `${name.replace('/', '-')}-${version}-${attempt}`);
      await mkdir(directory, { recursive: true });
      await writeFile(join(directory, 'package.json'), JSON.stringify({ name, version, license: 'Apache-2.0' }));
      return command('pnpm', ['publish', '--no-git-checks', '--registry', registry.url], {
        cwd: directory,
        env: { ...environment, npm_config_userconfig: userconfig },
      });
    };

    const anonymousConfig = join(workdir, 'anonymous-npmrc');
    await writeFile(anonymousConfig, `registry=${registry.url}\n`);
    const anonymous = await publish('@lake/anonymous-test', '1.0.0', anonymousConfig);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr + anonymous.stdout).toMatch(
      /authorization required to publish package @lake\/anonymous-test|ENEEDAUTH/,
    );
    // The registry itself refuses it, whatever the client does.
    const raw = await fetch(`${registry.url}@lake%2fanonymous-test`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect([401, 403]).toContain(raw.status);

    await expect(addUser(registry.url, 'lake-releaser', 'not-the-passphrase')).rejects.toThrow(
      'registry refused user lake-releaser: unauthorized access (401)',
    );

    const userConfig = join(workdir, 'user-npmrc');
    await writeFile(userConfig, npmrcFor(registry.url, token));
    const once = await publish('@lake/republish-test', '1.0.0', userConfig);
    expect(once.code, once.stderr).toBe(0);
    const again = await publish('@lake/republish-test', '1.0.0', userConfig);
    expect(again.code).not.toBe(0);
    expect(again.stderr + again.stdout).toMatch(
      /cannot publish over the previously published versions|this package is already present/i,
    );
    const outside = await publish('left-pad-of-our-own', '1.0.0', userConfig);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr + outside.stdout).toMatch(/not allowed to publish package left-pad-of-our-own/);
  });
});
