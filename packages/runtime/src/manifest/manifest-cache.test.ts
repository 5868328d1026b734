import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ProjectPaths, projectPaths } from '../project/project-paths.js';
import { parseManifest } from './load-manifest.js';
import { loadManifestForDisplay } from './manifest-cache.js';

let paths: ProjectPaths;

beforeEach(async () => {
  paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-manifest-cache-')));
});

afterEach(async () => {
  await rm(paths.root, { recursive: true, force: true });
});

const cacheFile = () => join(paths.lakeDirectory, 'cache', 'manifest.json');

describe('the cached lake.yaml of commands that only show things', () => {
  it('gives what parsing gives, and reads it from the cache while lake.yaml is unchanged', async () => {
    const text =
      'connectors:\n  git: shipped\n  github: ^0.2.0\nconnections:\n  - name: main\n    connector: git\n    id: 1\n    settings: { path: . }\n    scopes: [{ id: one, scope: { repo: a } }]\n';
    await writeFile(paths.manifest, text);
    expect(await loadManifestForDisplay(paths)).toEqual(parseManifest(text, paths.manifest));
    // Whatever the cache holds for this text is what is shown: proof it is read, not lake.yaml.
    const cached = JSON.parse(await readFile(cacheFile(), 'utf8')) as { value: { sync: object } };
    await writeFile(cacheFile(), JSON.stringify({ ...cached, value: { ...cached.value, sync: { concurrency: 7 } } }));
    expect((await loadManifestForDisplay(paths)).sync.concurrency).toBe(7);
  });

  it('is not used once lake.yaml is edited, and an edit that breaks lake.yaml is reported, not hidden', async () => {
    await writeFile(paths.manifest, 'connectors:\n  git: shipped\n');
    expect(Object.keys((await loadManifestForDisplay(paths)).connectors)).toEqual(['git']);
    await writeFile(paths.manifest, 'connectors:\n  git: shipped\n  github: shipped\n');
    expect(Object.keys((await loadManifestForDisplay(paths)).connectors)).toEqual(['git', 'github']);
    await writeFile(paths.manifest, 'connectors:\n  git: shipped\nconections: []\n');
    await expect(loadManifestForDisplay(paths)).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  });

  it('ignores a cache that does not parse or names another text', async () => {
    await writeFile(paths.manifest, 'connectors:\n  git: shipped\n');
    await loadManifestForDisplay(paths);
    await writeFile(cacheFile(), '{ damaged');
    expect(Object.keys((await loadManifestForDisplay(paths)).connectors)).toEqual(['git']);
    await writeFile(
      cacheFile(),
      JSON.stringify({
        version: 1,
        text: 'connectors:\n  evil: shipped\n',
        value: { connectors: { evil: 'shipped' } },
      }),
    );
    expect(Object.keys((await loadManifestForDisplay(paths)).connectors)).toEqual(['git']);
  });

  it('says there is no lake.yaml as loadManifest does', async () => {
    await expect(loadManifestForDisplay(paths)).rejects.toMatchObject({ code: 'MANIFEST_NOT_FOUND' });
  });
});
