import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { IntegrationRegistry } from '@lake/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildRegistry, RegistryInputError } from '../src/build-registry.ts';
import { checkRegistry } from '../src/registry-files.ts';
import { validateRegistry } from '../src/render-registry.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

async function committedRegistry(): Promise<IntegrationRegistry> {
  return parse(await readFile(join(root, 'registry/registry.yaml'), 'utf8')) as IntegrationRegistry;
}

describe('the committed integration registry', () => {
  it('satisfies registry.schema.json, and regenerating it changes nothing', async () => {
    await validateRegistry(root, await committedRegistry());
    expect(await checkRegistry(root)).toEqual([]);
  });

  it('has one entry per connector directory, with its package.json version and pinned dependencies', async () => {
    const registry = await committedRegistry();
    const directories = (await readdir(join(root, 'connectors'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(registry.connectors.map((entry) => entry.name)).toEqual(directories);
    const lockfile = parse(await readFile(join(root, 'pnpm-lock.yaml'), 'utf8')) as {
      importers: Record<string, { dependencies?: Record<string, { version: string }> }>;
    };
    for (const entry of registry.connectors) {
      const manifest = JSON.parse(await readFile(join(root, 'connectors', entry.name, 'package.json'), 'utf8'));
      expect(entry.version, entry.name).toBe(manifest.version);
      expect(entry.package, entry.name).toBe(manifest.name);
      expect(entry.contract, entry.name).toBe(manifest.lake.contract);
      for (const dependency of entry.dependencies) {
        expect(manifest.dependencies[dependency.name], `${entry.name} ${dependency.name}`).toBe(dependency.version);
        expect(
          lockfile.importers[`connectors/${entry.name}`]?.dependencies?.[dependency.name]?.version,
          `${entry.name} ${dependency.name} in pnpm-lock.yaml`,
        ).toBe(dependency.version);
      }
      expect(entry.tested.node.length, entry.name).toBeGreaterThan(0);
      expect(await readFile(join(root, entry.docs), 'utf8')).toContain('#');
    }
  });

  it('lists what each connector tests exercised and marks secret settings', async () => {
    const registry = await committedRegistry();
    const github = registry.connectors.find((entry) => entry.name === 'github')!;
    expect(github.tested.exercised['GitHub REST API']).toEqual(['2022-11-28']);
    expect(github.secretFields).toEqual(['tokens']);
    const git = registry.connectors.find((entry) => entry.name === 'git')!;
    expect(git.tested.exercised.git?.length).toBeGreaterThan(0);
    expect(git.support).toBe('core');
  });

  it('every connector has a test suite that runs the conformance suite', async () => {
    for (const entry of (await committedRegistry()).connectors) {
      const tests = (await readdir(join(root, 'connectors', entry.name, 'test'), { recursive: true })).filter((file) =>
        file.endsWith('.test.ts'),
      );
      const texts = await Promise.all(
        tests.map((file) => readFile(join(root, 'connectors', entry.name, 'test', file), 'utf8')),
      );
      expect(
        texts.some((text) => text.includes('testConnector(')),
        entry.name,
      ).toBe(true);
    }
  });

  it('lists each metric package as a metric, with its package.json version and the steps it runs', async () => {
    const registry = await committedRegistry();
    const directories = (await readdir(join(root, 'packages'))).filter((name) => name.startsWith('metrics-')).sort();
    expect((registry.metrics ?? []).map((entry) => `metrics-${entry.name}`)).toEqual(directories);
    for (const entry of registry.metrics ?? []) {
      const manifest = JSON.parse(
        await readFile(join(root, 'packages', `metrics-${entry.name}`, 'package.json'), 'utf8'),
      );
      expect([entry.kind, entry.package, entry.version, entry.contract], entry.name).toEqual([
        'metric',
        manifest.name,
        manifest.version,
        manifest.lake.contract,
      ]);
      expect(manifest.lake.metric).toBe(entry.name);
      expect(manifest.private, entry.name).toBeUndefined();
    }
    const dora = registry.metrics?.find((entry) => entry.name === 'dora');
    const { STEP_NAMES } = (await import(join(root, 'packages/metrics-dora/dist/index.js'))) as {
      STEP_NAMES: string[];
    };
    expect(dora?.steps).toEqual([...STEP_NAMES]);
    expect(dora?.support).toBe('core');
  });

  it('packages that are neither connectors nor metrics carry no connector fields', async () => {
    for (const folder of ['packages', 'tools']) {
      for (const name of await readdir(join(root, folder))) {
        const text = await readFile(join(root, folder, name, 'package.json'), 'utf8').catch(() => undefined);
        if (text === undefined) continue;
        const manifest = JSON.parse(text) as { lake?: Record<string, unknown>; bin?: Record<string, string> };
        if (folder === 'packages' && name.startsWith('metrics-')) {
          expect(Object.keys(manifest.lake ?? {}).sort(), name).toEqual(['contract', 'metric']);
          continue;
        }
        expect(manifest.lake, `${folder}/${name}`).toBeUndefined();
        expect(
          Object.keys(manifest.bin ?? {}).filter((bin) => bin.startsWith('lake-connector-')),
          `${folder}/${name}`,
        ).toEqual([]);
      }
    }
    const registryPackage = JSON.parse(await readFile(join(root, 'registry/package.json'), 'utf8'));
    expect(registryPackage.lake).toBeUndefined();
  });
});

describe('registry:check on a changed workspace', () => {
  let copy: string;

  /** A workspace with what the generator reads: connectors (their installed dependencies linked), the lock, the registry. */
  async function copyWorkspace(): Promise<string> {
    copy = await mkdtemp(join(tmpdir(), 'lake-registry-check-'));
    for (const name of await readdir(join(root, 'connectors'))) {
      await cp(join(root, 'connectors', name), join(copy, 'connectors', name), {
        recursive: true,
        filter: (source) => !source.includes('/node_modules') && !source.includes('/coverage'),
      });
      await symlink(join(root, 'connectors', name, 'node_modules'), join(copy, 'connectors', name, 'node_modules'));
    }
    for (const name of (await readdir(join(root, 'packages'))).filter((entry) => entry.startsWith('metrics-'))) {
      await cp(join(root, 'packages', name), join(copy, 'packages', name), {
        recursive: true,
        filter: (source) => !source.includes('/node_modules') && !source.includes('/coverage'),
      });
      await symlink(join(root, 'packages', name, 'node_modules'), join(copy, 'packages', name, 'node_modules'));
    }
    for (const file of [
      'pnpm-lock.yaml',
      'packages/sdk/package.json',
      'packages/runtime/shipped-connectors.json',
      'registry',
    ]) {
      await cp(join(root, file), join(copy, file), { recursive: true });
    }
    return copy;
  }

  async function editJson(file: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
    const value = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    edit(value);
    await writeFile(file, JSON.stringify(value, null, 2));
  }

  async function inputProblems(workspace: string): Promise<string[]> {
    try {
      await buildRegistry(workspace);
    } catch (error) {
      if (error instanceof RegistryInputError) return error.problems;
      throw error;
    }
    return [];
  }

  afterEach(async () => {
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('starts clean, then fails when a connector directory is removed', async () => {
    const workspace = await copyWorkspace();
    expect(await checkRegistry(workspace)).toEqual([]);
    await rm(join(workspace, 'connectors/github'), { recursive: true });
    expect(await checkRegistry(workspace)).toContain(
      'connector github is listed, but connectors/github does not exist',
    );
    const failed = await run(process.execPath, [cli, 'check', workspace]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain(
      'registry/ is out of date (run pnpm registry:update and commit it)',
    );
  });

  it('fails when a version is bumped by hand', async () => {
    const workspace = await copyWorkspace();
    await editJson(join(workspace, 'connectors/git/package.json'), (manifest) => {
      manifest.version = '0.1.1';
    });
    expect(await checkRegistry(workspace)).toContain('connector git: version 0.1.0 → 0.1.1');
  });

  it('refuses an unpinned dependency, naming the connector and the field', async () => {
    const workspace = await copyWorkspace();
    await editJson(join(workspace, 'connectors/github/package.json'), (manifest) => {
      (manifest.dependencies as Record<string, string>)['left-pad'] = '^1.3.0';
    });
    expect(await inputProblems(workspace)).toContain(
      'connectors/github: package.json dependencies.left-pad: "^1.3.0" is not an exact version (pin it, e.g. "1.2.3")',
    );
    await editJson(join(workspace, 'connectors/github/package.json'), (manifest) => {
      (manifest.dependencies as Record<string, string>)['left-pad'] = '1.3.0';
    });
    expect(await inputProblems(workspace)).toContain(
      'connectors/github: package.json dependencies.left-pad: 1.3.0 is not what pnpm-lock.yaml holds (nothing); run pnpm install',
    );
  });

  it('refuses a malformed lake block and a connector without tests, each by name and field', async () => {
    const workspace = await copyWorkspace();
    await editJson(join(workspace, 'connectors/git/package.json'), (manifest) => {
      manifest.lake = { connector: 'git', contract: 'soon', domainTypes: ['CODE', 'SPREADSHEETS'], colour: 'blue' };
    });
    await rm(join(workspace, 'connectors/github/test'), { recursive: true });
    await rm(join(workspace, 'connectors/github/tested-versions.json'));
    const problems = await inputProblems(workspace);
    expect(problems).toEqual(
      expect.arrayContaining([
        'connectors/git: package.json lake.contract: expected a semver range such as ^1.0.0, found "soon"',
        expect.stringMatching(/^connectors\/git: package.json lake\.domainTypes: expected a non-empty list of CODE/),
        'connectors/git: package.json lake.colour: unknown field',
        'connectors/github: test/: no test runs the conformance suite (testConnector from @lake/testkit)',
        expect.stringMatching(/^connectors\/github: tested-versions\.json: missing/),
      ]),
    );
  });

  it('refuses a registry that breaks the schema, naming the connector and the field', async () => {
    const registry = await committedRegistry();
    const broken = structuredClone(registry) as unknown as { connectors: Array<Record<string, unknown>> };
    broken.connectors[1]!.maintainer = 'someone';
    broken.connectors[0]!.version = 'latest';
    await expect(validateRegistry(root, broken)).rejects.toThrow(
      /connector github: \/connectors\/1 must NOT have additional properties \(maintainer\)[\s\S]*connector git: \/connectors\/0\/version must match pattern|connector git: \/connectors\/0\/version must match pattern[\s\S]*maintainer/,
    );
  });
});
