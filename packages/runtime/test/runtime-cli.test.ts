// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runSchedules, type ScheduleRun } from '../src/run/schedule.ts';
import { fixtureConnector } from './support/fixture-packages.ts';
import { createProject, REGISTRY_TOKEN_VARIABLE, type TestProject } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;
let registry: TestRegistry;
let project: TestProject;

beforeAll(async () => {
  registry = await startTestRegistry();
  const { version: sdk } = await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'));
  await registry.publish(fixtureConnector({ name: 'alpha', version: '1.0.0', sdk }));
  await registry.publish(fixtureConnector({ name: 'gamma', version: '0.1.0' }));
  await registry.publish(fixtureConnector({ name: 'gamma', version: '0.2.0' }));
  await registry.publishWorkspacePackage(join(workspace, 'registry'));
  project = await createProject({ registryUrl: registry.url, token: registry.token, connectors: {} });
});

afterAll(async () => {
  await registry?.stop();
});

describe('the lake CLI on a project', () => {
  it('init writes a starter lake.yaml once', async () => {
    const starter = await createProject({ registryUrl: registry.url, token: registry.token, connectors: {} });
    const refused = await starter.lake('init');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists (--force replaces it)');
    expect((await starter.lake('init', '--force')).code).toBe(0);
    const manifest = parse(await starter.read('lake.yaml'));
    expect(manifest.connectors).toEqual({ git: 'shipped' });
    expect(manifest.connections[0]).toMatchObject({ connector: 'git', id: 1 });
  });

  it('installs, lists and describes connectors, keeps secrets encrypted, syncs and shows runs', async () => {
    const manifest = {
      registry: { url: registry.url, token: `\${${REGISTRY_TOKEN_VARIABLE}}` },
      connectors: { alpha: '^1.0.0', gamma: '0.1.0' },
      connections: [
        {
          name: 'alpha-main',
          connector: 'alpha',
          id: 3,
          settings: { token: '${secret:alpha-token}' },
          scopes: [{ id: 'one', scope: { label: 'one', count: 25 } }],
        },
      ],
      schedules: [{ name: 'every-second', cron: '* * * * * *' }],
    };
    await writeFile(project.paths.manifest, stringify(manifest));

    const installed = await project.lake('install');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/alpha +added +1\.0\.0 +registry/);
    expect(installed.stdout).toMatch(/gamma +added +0\.1\.0 +registry/);
    const again = await project.lake('install');
    expect(again.stdout).toMatch(/alpha +unchanged +1\.0\.0/);

    const list = await project.lake('list');
    expect(list.stdout).toMatch(/alpha +1\.0\.0 +registry +lake\.yaml \^1\.0\.0 +yes/);
    const listed = JSON.parse((await project.lake('list', '--json')).stdout) as Array<{
      name: string;
      version: string;
    }>;
    expect(listed.map((row) => [row.name, row.version])).toEqual([
      ['alpha', '1.0.0'],
      ['gamma', '0.1.0'],
    ]);

    const info = await project.lake('info', 'alpha');
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/items +stream +no +_tool_alpha_items/);
    const described = JSON.parse((await project.lake('info', 'alpha', '--json')).stdout) as {
      schemas: { connection: { properties: Record<string, Record<string, unknown>> } };
    };
    expect(Object.keys(described.schemas.connection.properties)).toContain('token');
    // Connectors that are not installed: from the published integration registry.
    const unknown = await project.lake('info', 'nothing');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no connector "nothing" in the integration registry (@lake/registry 0.1.0)');
    const github = await project.lake('info', 'github');
    expect(github.code, github.stderr).toBe(0);
    expect(github.stdout).toContain('not installed here (lake add github); from @lake/registry 0.1.0');
    expect(github.stdout).toMatch(/pull_requests +stream +yes/);
    expect(github.stdout).toContain('GitHub REST API 2022-11-28');
    expect(github.stdout).toContain('secret settings: tokens');
    const search = await project.lake('search', 'pull', 'request');
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/github +\d+\.\d+\.\d+ +core +- +CODE/);
    expect(search.stdout).not.toMatch(/^git /m);
    const everything = JSON.parse((await project.lake('search', '--json')).stdout) as {
      connectors: Array<{ name: string; installed: string | null }>;
    };
    // Every connector of the published registry, which is the workspace's registry.yaml.
    const published = parse(await readFile(join(workspace, 'registry/registry.yaml'), 'utf8')) as {
      connectors: Array<{ name: string }>;
    };
    expect(published.connectors.map((connector) => connector.name)).toContain('github');
    expect(everything.connectors.map((connector) => connector.name)).toEqual(
      published.connectors.map((connector) => connector.name),
    );
    expect((await project.lake('search', 'no-such-thing')).code).toBe(1);

    // The secret is missing: the sync says which and where (the path doctor and check use),
    // fails that connection's scopes, and exits 2 as for any configuration error.
    const missing = await project.lake('sync');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain(
      'alpha-main · one: connections[0].settings.token: secret "alpha-token" is not in the secret store',
    );

    const secret = 'alpha-secret-value-0042';
    expect((await project.lakeWithInput(`${secret}\n`, 'secret', 'set', 'alpha-token')).code).toBe(0);
    expect((await project.lake('secret', 'list')).stdout.trim()).toBe('alpha-token');
    expect(await readFile(project.paths.secrets, 'utf8')).not.toContain(secret);

    const synced = await project.lake('sync', 'alpha-main', '--scope', 'one', '--full');
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toMatch(/alpha-main · one +alpha 1\.0\.0 +items +succeeded +25/);
    expect(synced.stdout + synced.stderr).not.toContain(secret);

    const unknownConnection = await project.lake('sync', 'nowhere', '--json');
    expect(JSON.parse(unknownConnection.stdout).error.code).toBe('CONNECTION_UNKNOWN');
    const unknownScope = await project.lake('sync', '--scope', 'two', '--json');
    expect(JSON.parse(unknownScope.stdout).error).toMatchObject({ code: 'SCOPE_UNKNOWN' });
    expect(JSON.parse(unknownScope.stdout).error.message).toContain('alpha-main: one');

    const status = await project.lake('status', '--limit', '5');
    expect(status.stdout).toMatch(/alpha-main +one +items \(full\) +1\.0\.0 +succeeded +25/);
    expect((await project.lake('status', '--limit', 'x')).code).toBe(2);
  });

  it('doctor checks every part and names what is wrong', async () => {
    const healthy = await project.lake('doctor');
    expect(healthy.code, healthy.stdout).toBe(0);
    for (const check of ['node', 'manifest', 'lock', 'installed', 'references', 'database', 'registry', 'secret key']) {
      expect(healthy.stdout).toMatch(new RegExp(`ok +${check}`));
    }
    await chmod(project.paths.secretKey, 0o644);
    try {
      const unhealthy = await project.lake('doctor', '--json');
      expect(unhealthy.code).toBe(1);
      const checks = JSON.parse(unhealthy.stdout) as Array<{ check: string; ok: boolean; detail: string }>;
      // The key is refused, so the ${secret:…} references cannot resolve either.
      expect(checks.filter((check) => !check.ok).map((check) => check.check)).toEqual(['references', 'secret key']);
      expect(checks.find((check) => check.check === 'secret key')!.detail).toContain('others can read it');
    } finally {
      await chmod(project.paths.secretKey, 0o600);
    }
  });

  it('outdated, add, upgrade and remove move pins the way lake.yaml says', async () => {
    const outdated = await project.lake('outdated');
    expect(outdated.code).toBe(1);
    expect(outdated.stdout).toMatch(/gamma +user +0\.1\.0 +0\.1\.0 +- +0\.1\.0 +0\.2\.0 +0\.2\.0 published/);

    const upgraded = await project.lake('upgrade', 'gamma');
    expect(upgraded.stdout).toMatch(/gamma +updated +0\.1\.0 → 0\.1\.0|gamma +unchanged +0\.1\.0/);

    const added = await project.lake('add', 'gamma@^0.2.0');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/gamma +updated +0\.1\.0 → 0\.2\.0/);
    expect(parse(await project.read('lake.yaml')).connectors.gamma).toBe('^0.2.0');
    expect((await project.lake('outdated', '--json')).code).toBe(0);

    const inUse = await project.lake('remove', 'alpha');
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain('alpha is used by connection alpha-main');
    const removed = await project.lake('remove', 'gamma');
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/gamma +removed +0\.2\.0/);
    expect(parse(await project.read('lake.yaml')).connectors).toEqual({ alpha: '^1.0.0' });
    const set = JSON.parse(await project.read('.lake/connectors/installed.json')) as { connectors: object };
    expect(Object.keys(set.connectors)).toEqual(['alpha']);
    // The previous generation stays on disk for syncs that started before; older ones go.
    expect((await project.installedDirectories()).filter((name) => name.startsWith('gamma@0.1.0'))).toEqual([]);

    expect((await project.lake('add')).code).toBe(2);
    expect((await project.lake('add', 'Not_A_Name')).stderr).toContain('is not a connector name');
    expect((await project.lake('sync', '--bogus')).code).toBe(2);
  });

  it('runs the cron schedules in the foreground until stopped', async () => {
    const controller = new AbortController();
    const runs: ScheduleRun[] = [];
    const starts: string[] = [];
    await runSchedules(project.paths, {
      environment: project.environment,
      signal: controller.signal,
      onStart: (schedule) => starts.push(schedule),
      onRun: (run) => {
        runs.push(run);
        controller.abort();
      },
    });
    expect(starts).toEqual(['every-second']);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.error).toBeUndefined();
    expect(runs[0]!.outcomes.map((outcome) => [outcome.connection, outcome.status])).toEqual([
      ['alpha-main', 'succeeded'],
    ]);
  });
});
