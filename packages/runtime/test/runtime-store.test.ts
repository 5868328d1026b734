// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { storeEntryPath } from '../src/install/package-store.ts';
import { fixtureConnector, sharedLibrary } from './support/fixture-packages.ts';
import { createProject, type TestProject } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry();
  const sdk = (await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'))).version;
  await registry.publish(sharedLibrary('1.0.0'));
  for (const name of ['alpha', 'beta']) {
    await registry.publish(fixtureConnector({ name, version: '1.0.0', sdk, sharedLibrary: '1.0.0' }));
  }
}, 180_000);

afterAll(async () => {
  await registry?.stop();
});

/** A file both connectors bring: the SDK's entry point. */
const SHARED = 'node_modules/@lake/sdk/dist/index.js';

function sha256(bytes: Buffer): string {
  return `sha256-${createHash('sha256').update(bytes).digest('base64')}`;
}

async function directories(project: TestProject): Promise<Record<string, string>> {
  const set = JSON.parse(await project.read('.lake/connectors/installed.json')) as {
    connectors: Record<string, { directory: string }>;
  };
  return Object.fromEntries(
    Object.entries(set.connectors).map(([name, entry]) => [name, join(project.paths.connectors, entry.directory)]),
  );
}

async function twoConnectorProject(): Promise<TestProject> {
  const connection = (connector: string, id: number) => ({
    name: `${connector}-main`,
    connector,
    id,
    settings: { token: '${FIXTURE_TOKEN}' },
    scopes: [{ id: 'one', scope: { label: 'one', count: 3 } }],
  });
  const project = await createProject({
    registryUrl: registry.url,
    token: registry.token,
    connectors: { alpha: '1.0.0', beta: '1.0.0' },
    connections: [connection('alpha', 1), connection('beta', 2)],
  });
  project.environment.FIXTURE_TOKEN = 'fixture-token-value';
  const installed = await project.lake('install');
  expect(installed.code, installed.stderr).toBe(0);
  return project;
}

describe('the content-addressed store', () => {
  let project: TestProject;
  let original: Buffer;

  beforeAll(async () => {
    project = await twoConnectorProject();
    const { alpha } = await directories(project);
    original = await readFile(join(alpha!, SHARED));
  });

  it('keeps a file two connectors share once, hard-linked and read-only, each connector in its own tree', async () => {
    const { alpha, beta } = await directories(project);
    const [inAlpha, inBeta] = await Promise.all([stat(join(alpha!, SHARED)), stat(join(beta!, SHARED))]);
    const entry = storeEntryPath(project.paths.store, sha256(original), false);
    const stored = await stat(entry);
    expect(inAlpha.ino).toBe(inBeta.ino);
    expect(stored.ino).toBe(inAlpha.ino);
    expect(stored.nlink).toBeGreaterThanOrEqual(3);
    expect(stored.mode & 0o222).toBe(0);
    // Isolation: each directory resolves its own connector and nothing of the other's.
    expect(alpha).not.toBe(beta);
    await expect(stat(join(alpha!, 'node_modules/@lake/connector-alpha/package.json'))).resolves.toBeDefined();
    await expect(stat(join(alpha!, 'node_modules/@lake/connector-beta'))).rejects.toThrow(/ENOENT/);
    await expect(stat(join(beta!, 'node_modules/@lake/connector-alpha'))).rejects.toThrow(/ENOENT/);
    expect((await project.lake('verify')).code).toBe(0);
  });

  it('refuses every connector holding a file changed through one link, and install --force repairs both and the store', async () => {
    const { alpha, beta } = await directories(project);
    const file = join(alpha!, SHARED);
    // Written through the link (the mode is no obstacle to the file's owner): the inode changes.
    await chmod(file, 0o644);
    await writeFile(file, Buffer.concat([original, Buffer.from('\nprocess.env.STOLEN = "yes";\n')]));
    expect(await readFile(join(beta!, SHARED))).not.toEqual(original);

    const refused = await project.lake('sync');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `refusing to run alpha 1.0.0: 1 file(s) differ from what was installed: changed ${SHARED}`,
    );
    expect(refused.stdout).toContain(
      `refusing to run beta 1.0.0: 1 file(s) differ from what was installed: changed ${SHARED}`,
    );

    const forced = await project.lake('install', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const after = await directories(project);
    for (const directory of [after.alpha!, after.beta!])
      expect(await readFile(join(directory, SHARED))).toEqual(original);
    // The store entry holds the bytes its name says again, and both connectors link to it.
    const entry = storeEntryPath(project.paths.store, sha256(original), false);
    expect(sha256(await readFile(entry))).toBe(sha256(original));
    expect((await stat(join(after.alpha!, SHARED))).ino).toBe((await stat(entry)).ino);
    expect((await stat(join(after.beta!, SHARED))).ino).toBe((await stat(entry)).ino);
    const verified = await project.lake('verify');
    expect(verified.code, verified.stdout).toBe(0);
    expect((await project.lake('sync')).code).toBe(0);
  });

  it('keeps the other connector intact when one connector file is replaced, and repairs the one', async () => {
    const { alpha, beta } = await directories(project);
    const file = join(alpha!, SHARED);
    // Replaced, not written through: a new inode in alpha alone.
    await rm(file);
    await writeFile(file, Buffer.concat([original, Buffer.from('\n// replaced\n')]));
    expect(await readFile(join(beta!, SHARED))).toEqual(original);

    const verified = await project.lake('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/FAIL alpha 1\.0\.0/);
    expect(verified.stdout).toMatch(/ok {3}beta 1\.0\.0/);
    const refused = await project.lake('sync', 'alpha-main');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `refusing to run alpha 1.0.0: 1 file(s) differ from what was installed: changed ${SHARED}`,
    );
    expect((await project.lake('sync', 'beta-main')).code).toBe(0);

    const forced = await project.lake('install', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const after = await directories(project);
    expect(await readFile(join(after.alpha!, SHARED))).toEqual(original);
    expect(await readFile(join(after.beta!, SHARED))).toEqual(original);
    expect((await stat(join(after.alpha!, SHARED))).ino).toBe((await stat(join(after.beta!, SHARED))).ino);
    expect((await project.lake('verify')).code).toBe(0);
  });

  it('removes store entries no connector links to once the connector that used them is gone', async () => {
    const { alpha } = await directories(project);
    const own = await readFile(join(alpha!, 'node_modules/@lake/connector-alpha/package.json'));
    const entry = storeEntryPath(project.paths.store, sha256(own), false);
    await expect(stat(entry)).resolves.toBeDefined();
    await writeFile(
      project.paths.manifest,
      (await project.read('lake.yaml')).replace(/- name: alpha-main[\s\S]*?(?=- name: beta-main)/, ''),
    );
    const removed = await project.lake('remove', 'alpha');
    expect(removed.code, removed.stderr).toBe(0);
    // The previous generation stays for syncs that started before; the next install drops it.
    await expect(stat(entry)).resolves.toBeDefined();
    expect((await project.lake('install')).code).toBe(0);
    await expect(stat(entry)).rejects.toThrow(/ENOENT/);
    expect((await stat(storeEntryPath(project.paths.store, sha256(original), false))).nlink).toBe(2);
  });
});

describe('the store index', () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await twoConnectorProject();
  });

  /** The index entry of the SDK's tarball, which both connectors bring. */
  async function sdkIndexEntry(): Promise<{ path: string; files: Array<[string, string, number, number]> }> {
    const lock = parse(await project.read('lake.lock')) as {
      connectors: Record<string, { packages: Record<string, { integrity: string }> }>;
    };
    const integrity = lock.connectors.alpha!.packages['node_modules/@lake/sdk']!.integrity;
    const hex = Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex');
    const path = join(project.paths.store, 'index', `${hex}.json`);
    return { path, files: (JSON.parse(await readFile(path, 'utf8')) as { files: [] }).files };
  }

  /** `lake install --frozen` of a project whose connector directories are gone, its store kept. */
  async function reinstall(environment: NodeJS.ProcessEnv = {}) {
    await rm(project.paths.connectors, { recursive: true, force: true });
    const saved = { ...project.environment };
    Object.assign(project.environment, environment);
    try {
      return await project.lake('install', '--frozen');
    } finally {
      for (const key of Object.keys(environment)) delete project.environment[key];
      Object.assign(project.environment, saved);
    }
  }

  /** Offline, with an npm cache that holds nothing: any tarball the install needs is an error. */
  async function nothingToFetch(): Promise<NodeJS.ProcessEnv> {
    return { LAKE_OFFLINE: '1', LAKE_CACHE_DIR: await mkdtemp(join(tmpdir(), 'lake-empty-cache-')) };
  }

  it('lays out packages the store already holds without fetching a tarball', async () => {
    const installed = await reinstall(await nothingToFetch());
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/alpha\s+added/);
    expect((await project.lake('verify')).code).toBe(0);

    // The control: without the index the same install needs tarballs, and there are none to be had.
    await rm(join(project.paths.store, 'index'), { recursive: true });
    const refused = await reinstall(await nothingToFetch());
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/offline|cache/i);
    const restored = await reinstall();
    expect(restored.code, restored.stderr).toBe(0);
    await expect(sdkIndexEntry()).resolves.toBeDefined();
  });

  it('does not trust a damaged index entry: the digest check catches it and the entry is rebuilt from the tarball', async () => {
    const { path, files } = await sdkIndexEntry();
    const original = await readFile(path, 'utf8');
    // Two files' contents swapped: every store entry it names exists, with the size it says.
    const first = files.findIndex(([name]) => name === 'package.json');
    const second = files.findIndex(([name]) => name === 'dist/index.js');
    const damaged = files.map((file) => [...file]);
    damaged[first]!.splice(1, 3, ...files[second]!.slice(1));
    damaged[second]!.splice(1, 3, ...files[first]!.slice(1));
    await writeFile(path, JSON.stringify({ ...JSON.parse(original), files: damaged }));

    // With nothing to fetch, the install fails rather than lay out what the entry says.
    const refused = await reinstall(await nothingToFetch());
    expect(refused.code).not.toBe(0);
    await expect(stat(project.paths.installSet)).rejects.toThrow(/ENOENT/);

    const repaired = await reinstall();
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stderr).toContain("differ from lake.lock's digest; unpacking its tarballs again");
    expect(await readFile(path, 'utf8')).toBe(original);
    expect((await project.lake('verify')).code).toBe(0);

    // Nonsense in an entry (a path out of the package, unreadable JSON) is ignored the same way.
    await writeFile(
      path,
      JSON.stringify({ ...JSON.parse(original), files: [['../../../../outside.js', files[0]![1], 0, files[0]![3]]] }),
    );
    const outside = await reinstall();
    expect(outside.code, outside.stderr).toBe(0);
    await expect(stat(join(project.paths.root, '.lake/outside.js'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(path, 'utf8')).toBe(original);
    await writeFile(path, '{ not json');
    expect((await reinstall()).code).toBe(0);
    expect(await readFile(path, 'utf8')).toBe(original);
    expect((await project.lake('verify')).code).toBe(0);
  });
});
