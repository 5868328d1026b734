import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RuntimeError } from '../errors.js';
import { projectPaths } from '../project/project-paths.js';
import { installDirectoryName, lockDigest } from './lock-digest.js';
import { type LockedConnector, type Lockfile, readLockfile, writeLockfile } from './lockfile.js';

const entry: LockedConnector = {
  package: '@lake/connector-git',
  requested: 'shipped',
  source: 'registry',
  version: '0.1.0',
  resolved: 'http://127.0.0.1:4873/@lake/connector-git/-/connector-git-0.1.0.tgz',
  integrity: `sha512-${'a'.repeat(86)}==`,
  contract: '^1.0.0',
  domainTypes: ['CODE'],
  bin: 'dist/cli.js',
  packages: {
    'node_modules/@lake/connector-git': {
      version: '0.1.0',
      resolved: 'http://127.0.0.1:4873/@lake/connector-git/-/connector-git-0.1.0.tgz',
      integrity: `sha512-${'a'.repeat(86)}==`,
    },
  },
};

describe('lake.lock', () => {
  it('round-trips, sorted, with the same bytes every time', async () => {
    const paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-lock-')));
    const lock: Lockfile = { lockfileVersion: 1, runtime: '0.1.0', connectors: { git: entry } };
    await writeLockfile(paths, lock);
    const first = await import('node:fs/promises').then((fs) => fs.readFile(paths.lock, 'utf8'));
    expect(first.startsWith('# lake.lock')).toBe(true);
    expect(first.indexOf('lockfileVersion')).toBeLessThan(first.indexOf('connectors'));
    expect(await readLockfile(paths)).toEqual(lock);
    await writeLockfile(paths, (await readLockfile(paths))!);
    expect(await import('node:fs/promises').then((fs) => fs.readFile(paths.lock, 'utf8'))).toBe(first);
  });

  it('refuses a damaged lock, naming the field', async () => {
    const paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-lock-')));
    expect(await readLockfile(paths)).toBeUndefined();
    await writeFile(paths.lock, 'lockfileVersion: 1\nruntime: 0.1.0\nconnectors:\n  git:\n    package: x\n');
    await expect(readLockfile(paths)).rejects.toThrow(/is damaged: connectors\.git\.requested/);
    await writeFile(paths.lock, 'lockfileVersion: 7\n');
    await expect(readLockfile(paths)).rejects.toThrow('has lockfileVersion 7; this runtime reads version 1');
    await writeFile(paths.lock, 'a: [\n');
    await expect(readLockfile(paths)).rejects.toThrow('is not valid YAML');
  });

  it('refuses a top-level integrity or version that is not the one its tarball was checked against', async () => {
    const paths = projectPaths(await mkdtemp(join(tmpdir(), 'lake-lock-')));
    const edited: Lockfile = {
      lockfileVersion: 1,
      runtime: '0.1.0',
      connectors: { git: { ...entry, integrity: `sha512-${'c'.repeat(86)}==` } },
    };
    await writeLockfile(paths, edited);
    const error = await readLockfile(paths).then(
      () => undefined,
      (caught: unknown) => caught as RuntimeError,
    );
    expect(error?.code).toBe('INTEGRITY_MISMATCH');
    expect(error?.message).toContain(`connectors.git.integrity is sha512-${'c'.repeat(86)}==`);
    expect(error?.message).toContain('packages["node_modules/@lake/connector-git"]');
    await writeLockfile(paths, { ...edited, connectors: { git: { ...entry, version: '0.1.1' } } });
    await expect(readLockfile(paths)).rejects.toThrow('connectors.git.version is 0.1.1');
    await writeLockfile(paths, { ...edited, connectors: { git: { ...entry, packages: {} } } });
    await expect(readLockfile(paths)).rejects.toThrow('has no "node_modules/@lake/connector-git"');
    await writeLockfile(paths, {
      ...edited,
      connectors: { git: { ...entry, signatures: { 'node_modules/nothing': { keyid: 'k', sig: 's' } } } },
    });
    await expect(readLockfile(paths)).rejects.toThrow('signatures names "node_modules/nothing"');
  });

  it('names install directories by what is installed, not by how it was asked for', () => {
    const pinned = { ...entry, requested: '^0.1.0' };
    expect(lockDigest(pinned)).toBe(lockDigest(entry));
    expect(installDirectoryName('git', entry)).toMatch(/^git@0\.1\.0-[0-9a-f]{12}$/);
    expect(lockDigest({ ...entry, integrity: `sha512-${'b'.repeat(86)}==` })).not.toBe(lockDigest(entry));
  });
});
