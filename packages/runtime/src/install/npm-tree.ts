import { createHash } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PacoteManifest } from 'pacote';
import { RuntimeError } from '../errors.js';
import { forEachLimited } from './for-each-limited.js';
import type { LockedPackage } from './lockfile.js';
import { npmFailure, type RegistryAuth } from './npm-errors.js';
import { loadArborist, loadPacote } from './npm-libraries.js';
import { type PackageFile, readPackageIndex, writePackageIndex } from './package-index.js';
import type { StoreLinking } from './package-store.js';
import { StoreWriter } from './store-writer.js';
import { binFiles, linkBins, unpackPackage } from './unpack-tarball.js';

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
export async function fetchManifest(
  spec: string,
  context: NpmContext,
  where?: string,
  freshness: 'cached' | 'fresh' = 'cached',
): Promise<PacoteManifest> {
  // `fresh` (signatures): asked of the registry even under --prefer-offline. A cached packument
  // may predate a package's signature, or come from another registry once at the same address
  // (seen in CI: two test registries, one port, one unsigned @lake/sdk). Offline, the cache is all there is.
  const fresher = freshness === 'fresh' && !context.options.offline ? { preferOnline: true, preferOffline: false } : {};
  try {
    const pacote = await loadPacote();
    return await pacote.manifest(spec, {
      ...context.options,
      fullMetadata: true,
      ...(where ? { where } : {}),
      ...fresher,
    });
  } catch (error) {
    throw npmFailure(error, spec, context.registry, context.auth);
  }
}

/** Every published version of a package, newest last, or an empty list if it is not published. */
export async function publishedVersions(name: string, context: NpmContext): Promise<string[]> {
  try {
    const pacote = await loadPacote();
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
    const Arborist = await loadArborist();
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

export interface LockedInstallOptions {
  /** The project's store (`.lake/store/`): files go in there and are linked from it. */
  store: string;
  /** Lay out packages the store index lists from the store, with no fetch (off for repairs and `--force`). */
  useIndex: boolean;
  /** Re-read store entries before linking to them (repairs, `--force`). */
  verifyExisting: boolean;
}

export interface LockedInstallCounts {
  /** Packages laid out from the store index, without their tarball. */
  fromIndex: number;
  /** Packages unpacked from a tarball checked against the lock. */
  unpacked: number;
  /** Tarballs read from npm's cache without a request. */
  fromCache: number;
  store: StoreLinking;
}

/**
 * Installs exactly `packages` (a lock's closure) into `directory`, without resolving anything,
 * every file linked from the store. A package the store index lists is linked from it with no
 * tarball at all; any other tarball is read from npm's cache by its integrity, or fetched, and
 * checked against the lock's integrity — a registry serving different bytes is refused with the
 * package and both hashes named — then unpacked into the store, and the `.bin` links npm would
 * make are made. The layout is the lock's own, so nothing needs comparing afterwards but the
 * files, which the caller checks against lake.lock's digest (the index is trusted for nothing).
 */
export async function installLocked(
  directory: string,
  dependencies: Record<string, string>,
  packages: Record<string, LockedPackage>,
  context: NpmContext,
  options: LockedInstallOptions,
): Promise<LockedInstallCounts> {
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

  const writer = new StoreWriter(options.store, { verifyExisting: options.verifyExisting });
  const counts: LockedInstallCounts = { fromIndex: 0, unpacked: 0, fromCache: 0, store: writer.counts };
  const unpack: Array<[string, LockedPackage]> = [];
  for (const [location, entry] of Object.entries(packages)) {
    const bins = binFiles(entry);
    const listed = options.useIndex ? readPackageIndex(options.store, entry.integrity, bins) : undefined;
    if (listed && linkListed(writer, join(directory, location), listed)) counts.fromIndex += 1;
    else unpack.push([location, entry]);
  }
  // Tarballs are read a few at a time (the network, or the cache's files); each is unpacked
  // synchronously as it arrives.
  await forEachLimited(unpack, 8, async ([location, entry]) => {
    const { bytes, fromCache } = await lockedTarball(directory, location, entry, context);
    if (fromCache) counts.fromCache += 1;
    const bins = binFiles(entry);
    const files = unpackPackage(bytes, join(directory, location), bins, writer);
    if (writer.counts.copied === 0) writePackageIndex(options.store, entry.integrity, bins, files);
    counts.unpacked += 1;
  });
  await linkBins(directory, packages);
  return counts;
}

/**
 * Links every file `listed` names into `target`; if the store lacks one, takes back the links
 * made and returns false (the package is unpacked instead).
 */
function linkListed(writer: StoreWriter, target: string, listed: PackageFile[]): boolean {
  const linked: string[] = [];
  for (const file of listed) {
    const path = join(target, file.path);
    if (!writer.linkStored(path, file.hash, file.executable, file.size)) {
      for (const done of linked) unlinkSync(done);
      return false;
    }
    linked.push(path);
  }
  return true;
}

/**
 * The tarball the lock names for `location`, checked against its integrity: from npm's cache,
 * which keeps tarballs by integrity (read directly, with no request), or fetched.
 */
async function lockedTarball(
  directory: string,
  location: string,
  entry: LockedPackage,
  context: NpmContext,
): Promise<{ bytes: Buffer; fromCache: boolean }> {
  const name = packageNameAt(location);
  const expected = entry.integrity.split(/\s+/).filter((hash) => hash.startsWith('sha512-'));
  const cache = typeof context.options.cache === 'string' ? context.options.cache : undefined;
  for (const integrity of cache ? expected : []) {
    const cached = await readFile(cachedContentPath(cache as string, integrity)).catch(() => undefined);
    // A damaged cache entry is no reason to fail: fetched again below.
    if (cached && expected.includes(sha512Of(cached))) return { bytes: cached, fromCache: true };
  }
  const spec = `${name}@${entry.resolved}`;
  let bytes: Buffer;
  try {
    // Fetched without the expected integrity, and compared here: npm's fetcher would treat a
    // mismatch as a corrupt download and retry it for half a minute before failing.
    const pacote = await loadPacote();
    bytes = await pacote.tarball(spec, { ...context.options, where: directory });
  } catch (error) {
    throw npmFailure(error, `${name}@${entry.version}`, context.registry, context.auth);
  }
  const received = sha512Of(bytes);
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
  return { bytes, fromCache: false };
}

function sha512Of(bytes: Buffer): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** Where npm's cache (cacache) keeps the content whose integrity is `integrity`. */
function cachedContentPath(cache: string, integrity: string): string {
  const hex = Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex');
  return join(cache, 'content-v2', 'sha512', hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

/** `node_modules/a/node_modules/@b/c` → `@b/c`. */
export function packageNameAt(location: string): string {
  const parts = location.split('node_modules/');
  return (parts.at(-1) ?? location).replace(/\/$/, '');
}
