import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openStore } from '@lake/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installProject } from '../src/install/installer.ts';
import { readLockfile } from '../src/install/lockfile.ts';
import { outdatedConnectors } from '../src/install/outdated.ts';
import { syncProject } from '../src/run/sync-runner.ts';
import { expectRuntimeError } from './support/expect-runtime-error.ts';
import { fixtureConnector, packPackage, sharedLibrary, writePackage } from './support/fixture-packages.ts';
import { cloneProject, createProject, release, type TestProject } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const run = promisify(execFile);
const workspace = new URL('../../../', import.meta.url).pathname;

/** Runtime 1.0.0 ships alpha 1.0.0 and gamma 0.2.0; runtime 1.1.0 ships alpha 1.1.0 and gamma 0.3.0. */
const RUNTIME_1_0 = release('1.0.0', { alpha: '1.0.0', gamma: '0.2.0' });
const RUNTIME_1_1 = release('1.1.0', { alpha: '1.1.0', gamma: '0.3.0' });

let registry: TestRegistry;
let sdkVersion: string;

function connection(name: string, connector: string, id: number, scopes: Array<{ label: string; count: number }>) {
  return {
    name,
    connector,
    id,
    settings: { token: `\${FIXTURE_TOKEN}` },
    scopes: scopes.map((scope) => ({ id: scope.label, scope })),
  };
}

beforeAll(async () => {
  registry = await startTestRegistry();
  sdkVersion = (await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'))).version;
  for (const version of ['1.0.0', '2.0.0']) await registry.publish(sharedLibrary(version));
  const runnable = { sdk: sdkVersion };
  for (const fixture of [
    fixtureConnector({ name: 'alpha', version: '1.0.0', ...runnable, sharedLibrary: '1.0.0' }),
    fixtureConnector({ name: 'alpha', version: '1.1.0', ...runnable, sharedLibrary: '1.0.0' }),
    fixtureConnector({ name: 'alpha', version: '2.0.0', contract: '^2.0.0' }),
    fixtureConnector({ name: 'beta', version: '1.0.0', ...runnable, sharedLibrary: '2.0.0' }),
    fixtureConnector({ name: 'gamma', version: '0.1.0' }),
    fixtureConnector({ name: 'gamma', version: '0.2.0' }),
    fixtureConnector({ name: 'gamma', version: '0.3.0' }),
  ]) {
    await registry.publish(fixture);
  }
});

afterAll(async () => {
  await registry?.stop();
});

describe('lake runtime, end to end against a private registry', () => {
  let project: TestProject;

  it('installs two connectors that pin different versions of one library, and syncs both into _lake_runs', async () => {
    project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { alpha: '^1.0.0 <1.1.0', beta: '^1.0.0' },
      connections: [
        connection('alpha-main', 'alpha', 1, [
          { label: 'first', count: 120 },
          { label: 'second', count: 30 },
        ]),
        connection('beta-main', 'beta', 1, [{ label: 'only', count: 45 }]),
      ],
      extra: {
        projects: {
          shop: {
            scopes: [
              { connection: 'alpha-main', scope: 'first' },
              { connection: 'beta-main', scope: 'only' },
            ],
          },
        },
      },
    });
    const outcome = await installProject(project.paths, { release: RUNTIME_1_0, environment: project.environment });
    expect(outcome.changes.map((change) => [change.name, change.action, change.to])).toEqual([
      ['alpha', 'added', '1.0.0'],
      ['beta', 'added', '1.0.0'],
    ]);

    const lock = (await readLockfile(project.paths))!;
    expect(lock.runtime).toBe('1.0.0');
    for (const [name, library] of [
      ['alpha', '1.0.0'],
      ['beta', '2.0.0'],
    ] as const) {
      const entry = lock.connectors[name]!;
      expect(entry.integrity).toMatch(/^sha512-/);
      expect(entry.resolved).toContain(`${registry.url}@lake/connector-${name}/-/connector-${name}-1.0.0.tgz`);
      expect(entry.packages['node_modules/@lake/fixture-shared-lib']?.version).toBe(library);
      expect(entry.packages[`node_modules/@lake/sdk`]?.version).toBe(sdkVersion);
      // The whole closure is locked, each package with its own sha512.
      expect(Object.keys(entry.packages).length).toBeGreaterThan(10);
      for (const locked of Object.values(entry.packages)) expect(locked.integrity).toMatch(/^sha512-/);
    }
    // The lock holds no secret: the token stays a reference.
    expect(await project.read('lake.lock')).not.toContain(registry.token);

    const token = 'fixture-token-do-not-leak-7f3a';
    project.environment.FIXTURE_TOKEN = token;
    const events: string[] = [];
    const outcomes = await syncProject(
      project.paths,
      {},
      {
        environment: project.environment,
        onEvent: (event) => events.push(`${event.connection}/${event.scopeId}:${event.event.type}`),
      },
    );
    expect(outcomes.map((scope) => [scope.connection, scope.scopeId, scope.error ?? scope.status])).toEqual([
      ['alpha-main', 'first', 'succeeded'],
      ['alpha-main', 'second', 'succeeded'],
      ['beta-main', 'only', 'succeeded'],
    ]);
    expect(outcomes.map((scope) => scope.streams[0]?.records)).toEqual([120, 30, 45]);
    expect(events).toContain('alpha-main/first:stream-end');

    const store = await openStore('sqlite:.lake/lake.db', { cwd: project.paths.root });
    try {
      const libraries = await store.db.selectFrom('_tool_alpha_items').select('library').distinct().execute();
      expect(libraries).toEqual([{ library: '1.0.0' }]);
      const betaLibraries = await store.db.selectFrom('_tool_beta_items').select('library').distinct().execute();
      expect(betaLibraries).toEqual([{ library: '2.0.0' }]);
      const runs = await store.db
        .selectFrom('_lake_runs')
        .select(['connector', 'connector_version', 'scope_id', 'stream', 'records', 'status', 'finished_at'])
        .orderBy('connector')
        .orderBy('scope_id')
        .execute();
      expect(
        runs.map((row) => [
          row.connector,
          row.connector_version,
          row.scope_id,
          row.stream,
          Number(row.records),
          row.status,
        ]),
      ).toEqual([
        ['alpha', '1.0.0', 'first', 'items', 120, 'succeeded'],
        ['alpha', '1.0.0', 'second', 'items', 30, 'succeeded'],
        ['beta', '1.0.0', 'only', 'items', 45, 'succeeded'],
      ]);
      expect(runs.every((row) => row.finished_at !== null)).toBe(true);
      // lake.yaml's project, mapped to the domain rows each connector reported for its scope.
      const mapping = await store.db
        .selectFrom('project_mapping')
        .select(['project_name', 'table', 'row_id'])
        .orderBy('row_id')
        .execute();
      expect(mapping).toEqual([
        { project_name: 'shop', table: 'boards', row_id: 'alpha:FixtureLabel:1:first' },
        { project_name: 'shop', table: 'boards', row_id: 'beta:FixtureLabel:1:only' },
      ]);
      expect(await store.db.selectFrom('projects').select('name').execute()).toEqual([{ name: 'shop' }]);
    } finally {
      await store.close();
    }

    // The CLI's view of the same runs, and logs without the token.
    const status = await project.lake('status', '--json');
    expect(status.code).toBe(0);
    const rows = JSON.parse(status.stdout) as Array<{ connection: string; status: string }>;
    expect(rows.map((row) => row.connection).sort()).toEqual(['alpha-main', 'alpha-main', 'beta-main']);
    const logs = await readdir(project.paths.logs);
    expect(logs).toHaveLength(3);
    for (const log of logs) expect(await readFile(join(project.paths.logs, log), 'utf8')).not.toContain(token);
  });

  it('records a failed run, with the secret scrubbed, when a connector fails mid-sync', async () => {
    // A CLI that exits without a word: the runtime records the run for it.
    const crashing = await writePackage(fixtureConnector({ name: 'crashy', version: '0.1.0' }));
    const failing = await writePackage(
      fixtureConnector({ name: 'faulty', version: '0.1.0', sdk: sdkVersion, failAfter: 3 }),
    );
    const faultyProject = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { faulty: { path: failing }, crashy: { path: crashing } },
      connections: [
        connection('faulty-main', 'faulty', 7, [{ label: 'only', count: 10 }]),
        connection('crashy-main', 'crashy', 8, [{ label: 'only', count: 1 }]),
      ],
    });
    const token = 'faulty-secret-token-1234';
    faultyProject.environment.FIXTURE_TOKEN = token;
    expect((await faultyProject.lake('install')).code).toBe(0);
    const synced = await faultyProject.lake('sync');
    expect(synced.code).toBe(1);
    expect(synced.stdout + synced.stderr).toContain('failed');
    expect(synced.stdout + synced.stderr).not.toContain(token);
    const status = await faultyProject.lake('status', '--json');
    const runs = JSON.parse(status.stdout) as Array<{
      status: string;
      error: string;
      connection: string;
      stream: string;
    }>;
    const faulty = runs.find((run) => run.connection === 'faulty-main')!;
    expect(faulty).toMatchObject({ status: 'failed', stream: 'items' });
    expect(faulty.error).toContain('failed on item 4');
    expect(faulty.error).not.toContain(token);
    const crashy = runs.find((run) => run.connection === 'crashy-main')!;
    expect(crashy).toMatchObject({ status: 'failed', stream: '*' });
    expect(crashy.error).toContain('exited with code 0 before reporting a result');
  });

  it('installs exactly the lock in a fresh checkout (--frozen), verifies the files, and refuses a lock that disagrees', async () => {
    const checkout = await cloneProject(project);
    const installed = await checkout.lake('install', '--frozen');
    expect(installed.code, installed.stderr).toBe(0);
    expect(await checkout.read('lake.lock')).toBe(await project.read('lake.lock'));

    const verified = await checkout.lake('verify');
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/ok +alpha 1\.0\.0/);

    // A file changed after install is reported by name.
    const set = JSON.parse(await checkout.read('.lake/connectors/installed.json')) as {
      connectors: Record<string, { directory: string }>;
    };
    const changedFile = join(
      checkout.paths.connectors,
      set.connectors.beta!.directory,
      'node_modules/@lake/fixture-shared-lib/index.js',
    );
    await writeFile(changedFile, 'export const version = "evil";\n');
    const tampered = await checkout.lake('verify');
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('changed node_modules/@lake/fixture-shared-lib/index.js');

    // lake.yaml asks for something the lock does not hold.
    const manifest = (await checkout.read('lake.yaml')).replace('beta: ^1.0.0', 'beta: ^1.0.1');
    await writeFile(checkout.paths.manifest, manifest);
    const mismatch = await checkout.lake('install', '--frozen', '--json');
    expect(mismatch.code).toBe(1);
    const failure = JSON.parse(mismatch.stdout) as { error: { code: string; message: string } };
    expect(failure.error.code).toBe('LOCK_MISMATCH');
    expect(failure.error.message).toContain('beta: lake.yaml asks for ^1.0.1, the lock was written for ^1.0.0');
  });

  it('refuses an incompatible connector naming both versions, leaving the working set untouched', async () => {
    const before = {
      manifest: await project.read('lake.yaml'),
      lock: await project.read('lake.lock'),
      set: await project.read('.lake/connectors/installed.json'),
      directories: await project.installedDirectories(),
    };
    const refused = await project.lake('add', 'alpha@2.0.0');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('@lake/connector-alpha@2.0.0 needs connector contract ^2.0.0');
    expect(refused.stderr).toMatch(/implements contract 1\.\d+\.\d+/);
    expect(await project.read('lake.yaml')).toBe(before.manifest);
    expect(await project.read('lake.lock')).toBe(before.lock);
    expect(await project.read('.lake/connectors/installed.json')).toBe(before.set);
    expect(await project.installedDirectories()).toEqual(before.directories);
    // Still runs.
    project.environment.FIXTURE_TOKEN = 'another-token';
    const synced = await project.lake('sync', 'beta-main');
    expect(synced.code, synced.stderr).toBe(0);
  });

  it('refuses a tampered tarball with the package and both hashes, installing nothing', async () => {
    const original = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { gamma: '0.3.0' },
    });
    await installProject(original.paths, { release: RUNTIME_1_0, environment: original.environment });
    const locked = (await readLockfile(original.paths))!.connectors.gamma!;

    // Someone replaces the tarball in the registry's storage with other bytes.
    const forged = await packPackage({
      ...fixtureConnector({ name: 'gamma', version: '0.3.0' }),
      files: { 'cli.js': '#!/usr/bin/env node\nconsole.log("forged");\n' },
    });
    await writeFile(join(registry.storage, '@lake/connector-gamma/connector-gamma-0.3.0.tgz'), forged);

    const freshCache = await mkdtemp(join(tmpdir(), 'lake-empty-cache-'));
    const checkout = await cloneProject(original, freshCache);
    const refused = await checkout.lake('install', '--frozen');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('@lake/connector-gamma@0.3.0');
    expect(refused.stderr).toContain(`expected ${locked.integrity}`);
    expect(refused.stderr).toMatch(/received sha512-[A-Za-z0-9+/]+=*/);
    expect(refused.stderr).not.toContain(`received ${locked.integrity}`);
    expect(await checkout.installedDirectories()).toEqual([]);
    await rm(freshCache, { recursive: true, force: true });
  });

  it('refuses a core connector below its shipped version unless --allow-downgrade', async () => {
    const downgrading = await createProject({ registryUrl: registry.url, token: registry.token, connectors: {} });
    const refused = await expectRuntimeError(
      installProject(downgrading.paths, {
        release: RUNTIME_1_0,
        environment: downgrading.environment,
        manifestText: (await downgrading.read('lake.yaml')).replace('connectors: {}', 'connectors:\n  gamma: 0.1.0'),
      }),
      'DOWNGRADE_REFUSED',
    );
    expect(refused.message).toContain('gamma 0.1.0 is older than 0.2.0, the version @lake/runtime 1.0.0 ships');
    expect(await downgrading.installedDirectories()).toEqual([]);

    const allowed = await installProject(downgrading.paths, {
      release: RUNTIME_1_0,
      environment: downgrading.environment,
      manifestText: (await downgrading.read('lake.yaml')).replace(
        'connectors: {}',
        'connectors:\n  gamma: { version: 0.1.0, allowDowngrade: true }',
      ),
    });
    expect(allowed.lock.connectors.gamma).toMatchObject({ version: '0.1.0', allowDowngrade: true });
  });

  it('keeps a user pin and a custom connector across lake upgrade, and lake outdated flags the stale pin', async () => {
    const customDirectory = await writePackage(fixtureConnector({ name: 'custom', version: '3.2.1' }));
    const upgrading = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { alpha: 'shipped', gamma: '0.2.0', custom: { path: customDirectory } },
    });
    const first = await installProject(upgrading.paths, { release: RUNTIME_1_0, environment: upgrading.environment });
    expect(Object.fromEntries(first.changes.map((change) => [change.name, change.to]))).toEqual({
      alpha: '1.0.0',
      custom: '3.2.1',
      gamma: '0.2.0',
    });
    const customBefore = (await readLockfile(upgrading.paths))!.connectors.custom!;
    expect(customBefore.source).toBe('path');
    const directoriesBefore = await upgrading.installedDirectories();

    // The runtime moves to 1.1.0: alpha follows it, the pin and the custom connector stay.
    const upgraded = await installProject(upgrading.paths, {
      release: RUNTIME_1_1,
      environment: upgrading.environment,
      followShipped: true,
    });
    const lock = (await readLockfile(upgrading.paths))!;
    expect(lock.runtime).toBe('1.1.0');
    expect(lock.connectors.alpha!.version).toBe('1.1.0');
    expect(lock.connectors.gamma!.version).toBe('0.2.0');
    expect(lock.connectors.custom).toEqual(customBefore);
    expect(Object.fromEntries(upgraded.changes.map((change) => [change.name, change.action]))).toEqual({
      alpha: 'updated',
      custom: 'unchanged',
      gamma: 'unchanged',
    });
    const directoriesAfter = await upgrading.installedDirectories();
    expect(directoriesAfter.filter((name) => name.startsWith('gamma@') || name.startsWith('custom@'))).toEqual(
      directoriesBefore.filter((name) => name.startsWith('gamma@') || name.startsWith('custom@')),
    );
    expect(parse(await upgrading.read('lake.yaml')).connectors).toEqual({
      alpha: 'shipped',
      gamma: '0.2.0',
      custom: { path: customDirectory },
    });

    const report = await outdatedConnectors(upgrading.paths, {
      release: RUNTIME_1_1,
      environment: upgrading.environment,
    });
    const gamma = report.rows.find((row) => row.name === 'gamma')!;
    expect(gamma).toMatchObject({ pinnedBy: 'user', locked: '0.2.0', shipped: '0.3.0', latest: '0.3.0' });
    expect(gamma.notes.join(' ')).toContain('stale pin');
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toContain('gamma is pinned to 0.2.0 in lake.yaml and runs 0.2.0, older than 0.3.0');
    const alpha = report.rows.find((row) => row.name === 'alpha')!;
    expect(alpha.notes.filter((text) => text.includes('stale'))).toEqual([]);
  });
});

describe('lake CLI', () => {
  it('answers --help without a project, listing installed connectors when there are some', async () => {
    const cli = join(workspace, 'packages/runtime/dist/cli.js');
    const { stdout } = await run(process.execPath, [cli, '--help'], { cwd: tmpdir() });
    expect(stdout).toContain('Usage: lake <command>');
    expect(stdout).toContain('Installed connectors: none');
  });
});
