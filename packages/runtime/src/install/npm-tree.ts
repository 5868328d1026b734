import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import pacote, { type PacoteManifest } from 'pacote';
import { RuntimeError } from '../errors.js';
import { forEachLimited } from './for-each-limited.js';
import type { LockedPackage } from './lockfile.js';
import { npmFailure, type RegistryAuth } from './npm-errors.js';
import { linkBins, unpackTarball } from './unpack-tarball.js';

/**
 * The npm side of an install, through npm's own libraries: pacote resolves and fetches
 * (integrity-checked, cached by content), arborist lays out a dependency tree and writes
 * npm's lockfile. One connector, one directory, one tree.
 */

export interface NpmContext {
  options: Record<string, unknown>;
  /** For messages: where `@lake/*` packages come from. */
  registry: string;
  /** For messages: whether a token was given, and how lake.yaml refers to it. */
  auth?: RegistryAuth;
}

/** The full package.json of what `spec` resolves to (the `lake` block included). */
export async function fetchManifest(spec: string, context: NpmContext, where?: string): Promise<PacoteManifest> {
  try {
    return await pacote.manifest(spec, { ...context.options, fullMetadata: true, ...(where ? { where } : {}) });
  } catch (error) {
    throw npmFailure(error, spec, context.registry, context.auth);
  }
}

/** Every published version of a package, newest last, or an empty list if it is not published. */
export async function publishedVersions(name: string, context: NpmContext): Promise<string[]> {
  try {
    const packument = await pacote.packument(name, { ...context.options, preferOnline: true });
    return Object.keys(packument.versions);
  } catch (error) {
    if ((error as { code?: string }).code === 'E404') return [];
    throw npmFailure(error, name, context.registry, context.auth);
  }
}

function rootPackage(dependencies: Record<string, string>) {
  return { name: 'lake-connector-install', version: '0.0.0', private: true, dependencies };
}

/**
 * Resolves `dependencies` afresh, installs them into `directory` and returns npm's lockfile
 * entries for the whole closure (keyed `node_modules/<path>`).
 */
export async function resolveAndInstall(
  directory: string,
  dependencies: Record<string, string>,
  context: NpmContext,
  what: string,
  /** Integrities npm does not record itself (a `file:` tarball's), by location. */
  knownIntegrity: Record<string, string> = {},
): Promise<Record<string, LockedPackage>> {
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, 'package.json'), `${JSON.stringify(rootPackage(dependencies), null, 2)}\n`);
  try {
    await new Arborist({ ...context.options, path: directory }).reify({ save: true });
  } catch (error) {
    throw npmFailure(error, what, context.registry, context.auth);
  }
  const lock = JSON.parse(await readFile(join(directory, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockedPackage>;
  };
  const packages: Record<string, LockedPackage> = {};
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '') continue;
    if (!entry.integrity && knownIntegrity[location]) entry.integrity = knownIntegrity[location];
    if (!entry.integrity || !entry.resolved) {
      throw new RuntimeError('INSTALL_FAILED', `${what}: ${location} was installed without an integrity; refusing it`);
    }
    packages[location] = entry;
  }
  return packages;
}

/**
 * Installs exactly `packages` (a lock's closure) into `directory`, without resolving anything:
 * every tarball is fetched (from npm's cache when it holds it) and checked against the lock's
 * integrity — a registry serving different bytes is refused with the package and both hashes
 * named — then unpacked at its location, and the `.bin` links npm would make are made. All
 * packages at once, a few at a time; the layout is the lock's own, so nothing needs comparing
 * afterwards but the files, which the caller checks against lake.lock's digest.
 */
export async function installLocked(
  directory: string,
  dependencies: Record<string, string>,
  packages: Record<string, LockedPackage>,
  context: NpmContext,
): Promise<void> {
  await mkdir(directory, { recursive: true });
  const root = rootPackage(dependencies);
  await writeFile(join(directory, 'package.json'), `${JSON.stringify(root, null, 2)}\n`);
  const npmLock = {
    name: root.name,
    version: root.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: root.name, version: root.version, dependencies }, ...packages },
  };
  await writeFile(join(directory, 'package-lock.json'), `${JSON.stringify(npmLock, null, 2)}\n`);

  await forEachLimited(Object.entries(packages), 16, async ([location, entry]) => {
    const name = packageNameAt(location);
    const spec = `${name}@${entry.resolved}`;
    // npm's cache holds tarballs by integrity: one the lock names is read from there with no
    // request at all (the cache checks the bytes on read, and so do we below).
    let bytes = await pacote
      .tarball(spec, { ...context.options, where: directory, integrity: entry.integrity, offline: true })
      .catch(() => undefined);
    try {
      // Otherwise fetched without the expected integrity, and compared here: npm's fetcher would
      // treat a mismatch as a corrupt download and retry it for half a minute before failing.
      bytes ??= await pacote.tarball(spec, { ...context.options, where: directory });
    } catch (error) {
      throw npmFailure(error, `${name}@${entry.version}`, context.registry, context.auth);
    }
    const received = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    const expected = entry.integrity.split(/\s+/).filter((hash) => hash.startsWith('sha512-'));
    if (!expected.includes(received)) {
      throw new RuntimeError(
        'INTEGRITY_MISMATCH',
        `${name}@${entry.version}: the tarball does not match lake.lock (the registry served different bytes, or it was tampered with)\n  expected ${entry.integrity}\n  received ${received}`,
        {
          details: {
            package: name,
            version: entry.version,
            resolved: entry.resolved,
            expected: entry.integrity,
            received,
          },
        },
      );
    }
    await unpackTarball(bytes, join(directory, location));
  });
  await linkBins(directory, packages);
}

/** `node_modules/a/node_modules/@b/c` → `@b/c`. */
export function packageNameAt(location: string): string {
  const parts = location.split('node_modules/');
  return (parts.at(-1) ?? location).replace(/\/$/, '');
}
