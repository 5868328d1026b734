import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACT_VERSION } from '@lake/sdk/host';
import { describe, expect, it } from 'vitest';
import { checkPackage } from '../src/check-packages.ts';
import { unpinnedDependencies } from '../src/pinned-dependencies.ts';
import { publishablePackages } from '../src/workspace-packages.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** `^1.2.3`-style ranges, enough for the contract check (no semver library needed for it). */
function satisfiesCaret(version: string, range: string): boolean {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!match) return false;
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const [, wantedMajor, wantedMinor, wantedPatch] = match.map(Number) as [number, number, number, number];
  if (major !== wantedMajor) return false;
  return minor > wantedMinor || (minor === wantedMinor && patch >= wantedPatch);
}

describe('every published package', () => {
  it('pins its external dependencies exactly and reaches Lake packages through the workspace', async () => {
    const packages = await publishablePackages(root);
    expect(packages.map((pkg) => pkg.manifest.name)).toEqual(
      expect.arrayContaining([
        '@lake/sdk',
        '@lake/testkit',
        '@lake/runtime',
        '@lake/connector-git',
        '@lake/connector-github',
        '@lake/metrics-dora',
      ]),
    );
    for (const pkg of packages) expect(unpinnedDependencies(pkg.manifest), pkg.manifest.name).toEqual([]);
  });

  it('follows the package template', async () => {
    for (const pkg of await publishablePackages(root)) {
      const manifest = pkg.manifest as unknown as Record<string, unknown> & {
        exports: Record<string, Record<string, string> | string>;
      };
      expect(manifest.type, pkg.path).toBe('module');
      expect(manifest.sideEffects, pkg.path).toBe(false);
      // The build output, and at most data files read at run time (the runtime's shipped pins, the registry's data).
      expect((manifest.files as string[])[0], pkg.path).toBe('dist');
      for (const file of (manifest.files as string[]).slice(1))
        expect(file, pkg.path).toMatch(/^[\w.-]+\.(?:json|yaml)$/);
      expect(manifest.engines, pkg.path).toEqual({ node: '>=22.12' });
      expect(manifest.publishConfig, pkg.path).toEqual({ access: 'restricted' });
      expect((manifest.repository as { directory: string }).directory, pkg.path).toBe(pkg.path);
      expect(Object.keys(manifest.exports['.'] as Record<string, string>)[0], pkg.path).toBe('types');
    }
  });

  it('each connector declares its name, the SDK contract range it works with, and its domain types', async () => {
    const connectors = (await publishablePackages(root)).filter((pkg) => pkg.path.startsWith('connectors/'));
    expect(connectors.length).toBeGreaterThanOrEqual(2);
    for (const pkg of connectors) {
      const lake = pkg.manifest.lake as { connector: string; contract: string; domainTypes: string[] };
      expect(lake.connector, pkg.path).toBe(pkg.path.split('/')[1]);
      expect(
        satisfiesCaret(CONTRACT_VERSION, lake.contract),
        `${pkg.path}: ${lake.contract} includes ${CONTRACT_VERSION}`,
      ).toBe(true);
      expect(lake.domainTypes.length, pkg.path).toBeGreaterThan(0);
      expect(pkg.manifest.dependencies?.['@lake/sdk'], pkg.path).toBe('workspace:^');
    }
  });

  it('each metric package declares its name and the SDK contract range it works with', async () => {
    const metrics = (await publishablePackages(root)).filter((pkg) => pkg.path.startsWith('packages/metrics-'));
    expect(metrics.map((pkg) => pkg.path)).toContain('packages/metrics-dora');
    for (const pkg of metrics) {
      const lake = pkg.manifest.lake as { metric: string; contract: string };
      expect(lake.metric, pkg.path).toBe(pkg.path.slice('packages/metrics-'.length));
      expect(
        satisfiesCaret(CONTRACT_VERSION, lake.contract),
        `${pkg.path}: ${lake.contract} includes ${CONTRACT_VERSION}`,
      ).toBe(true);
      expect((pkg.manifest.bin as Record<string, string>)[`lake-metrics-${lake.metric}`], pkg.path).toBe(
        './dist/cli.js',
      );
      expect(pkg.manifest.dependencies?.['@lake/sdk'], pkg.path).toBe('workspace:^');
    }
  });
});

describe('the release checks', () => {
  it('flag unpinned and misrouted dependencies', () => {
    expect(
      unpinnedDependencies({
        name: '@lake/example',
        version: '1.0.0',
        dependencies: { got: '^14.0.0', zod: '4.6.7', '@lake/sdk': '1.0.0', left: 'latest' },
        peerDependencies: { vitest: '~3.2.0' },
        devDependencies: { anything: '*' },
      }).map((problem) => `${problem.field}.${problem.dependency}`),
    ).toEqual(['dependencies.got', 'dependencies.@lake/sdk', 'dependencies.left', 'peerDependencies.vitest']);
  });

  it('refuse a package whose manifest points at files it does not ship, or whose types lie', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lake-broken-package-'));
    const fixture = async (name: string, files: Record<string, string>, exports: Record<string, string>) => {
      const packageDirectory = join(directory, name);
      await mkdir(join(packageDirectory, 'dist'), { recursive: true });
      for (const [file, text] of Object.entries(files)) await writeFile(join(packageDirectory, 'dist', file), text);
      const manifest = {
        name: `@lake/${name}`,
        version: '1.0.0',
        type: 'module',
        files: ['dist'],
        exports: { '.': exports },
        dependencies: { got: '^14.6.6' },
      };
      await writeFile(join(packageDirectory, 'package.json'), JSON.stringify(manifest));
      return (await checkPackage({ directory: packageDirectory, path: `packages/${name}`, manifest })).problems;
    };
    try {
      const missing = await fixture(
        'missing',
        { 'index.js': 'export const value = 1;\n' },
        { types: './dist/index.d.ts', import: './dist/missing.js' },
      );
      expect(missing).toContain('@lake/missing: dependencies.got is "^14.6.6": pin an exact version');
      expect(missing).toContain(
        'publint error: pkg.exports["."].import is ./dist/missing.js but the file does not exist.',
      );
      const masquerading = await fixture(
        'masquerading',
        { 'index.js': 'export const value = 1;\n', 'index.d.cts': 'export declare const value: number;\n' },
        { types: './dist/index.d.cts', import: './dist/index.js' },
      );
      expect(
        masquerading.some(
          (problem) => problem.startsWith('are-the-types-wrong') && problem.includes('Masquerading as CJS'),
        ),
      ).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
