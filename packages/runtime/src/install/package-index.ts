import { randomBytes } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, posix } from 'node:path';
import type { FileManifest } from '../trust/installed-files.js';
import type { LockedPackage } from './lockfile.js';
import { storeEntryPath } from './package-store.js';
import { binFiles } from './unpack-tarball.js';

/**
 * The store's index of packages, `.lake/store/index/`: for each package tarball the store
 * holds every file of, keyed by the tarball's sha512 (lake.lock's `integrity`), the files as
 * unpacked — path, sha256, whether executable, size. A package listed here is laid out by
 * linking its files from the store, with no fetch and no unpacking (as pnpm's store does):
 * the second connector's copy of the SDK and its drivers, or a reinstall.
 *
 * The index lives beside the files it describes, so whoever can change a stored file can
 * change it too, and it is trusted for nothing: an entry that does not parse, names another
 * package, climbs out of the package or points at a store entry that is missing or of another
 * size is ignored (and rewritten once the package is unpacked), and the directory laid out
 * from it is hashed and compared with lake.lock's digest like any other — on a mismatch the
 * installer lays the connector out again from checked tarballs, re-reading every store entry.
 */
export interface PackageFile {
  /** Relative to the package's folder, `/`-separated. */
  path: string;
  hash: string;
  executable: boolean;
  size: number;
}

interface IndexEntry {
  indexVersion: 1;
  integrity: string;
  /** The bins the files were unpacked with (made executable): the same tarball gives the same ones. */
  bins: string[];
  /** `[path, sha256, executable (1/0), size]`. */
  files: Array<[string, string, 0 | 1, number]>;
}

const HASH = /^sha256-[A-Za-z0-9+/]{43}=$/;

export function packageIndexDirectory(store: string): string {
  return join(store, 'index');
}

function indexPath(store: string, integrity: string): string {
  const hex = Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex');
  return join(packageIndexDirectory(store), `${hex}.json`);
}

/**
 * The files the index lists for the package whose tarball is `integrity`, unpacked with
 * `bins`; undefined when it lists nothing usable (see above). Store entries are checked by
 * the caller as it links them.
 */
export function readPackageIndex(
  store: string,
  integrity: string,
  bins: ReadonlySet<string>,
): PackageFile[] | undefined {
  let entry: IndexEntry;
  try {
    entry = JSON.parse(readFileSync(indexPath(store, integrity), 'utf8')) as IndexEntry;
  } catch {
    return undefined;
  }
  if (entry?.indexVersion !== 1 || entry.integrity !== integrity || !Array.isArray(entry.files)) return undefined;
  if (!Array.isArray(entry.bins) || entry.bins.length !== bins.size || !entry.bins.every((bin) => bins.has(bin))) {
    return undefined;
  }
  const files: PackageFile[] = [];
  for (const file of entry.files) {
    if (!Array.isArray(file) || file.length !== 4) return undefined;
    const [path, hash, executable, size] = file;
    if (typeof path !== 'string' || !isInsidePackage(path)) return undefined;
    if (typeof hash !== 'string' || !HASH.test(hash)) return undefined;
    if ((executable !== 0 && executable !== 1) || !Number.isSafeInteger(size) || size < 0) return undefined;
    files.push({ path, hash, executable: executable === 1, size });
  }
  return files;
}

/** Records how the package whose tarball is `integrity` was unpacked (whole or not at all). */
export function writePackageIndex(
  store: string,
  integrity: string,
  bins: ReadonlySet<string>,
  files: PackageFile[],
): void {
  const entry: IndexEntry = {
    indexVersion: 1,
    integrity,
    bins: [...bins].sort(),
    files: files.map((file) => [file.path, file.hash, file.executable ? 1 : 0, file.size]),
  };
  const path = indexPath(store, integrity);
  mkdirSync(packageIndexDirectory(store), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, JSON.stringify(entry));
  renameSync(temporary, path);
}

/**
 * Indexes the packages of a tree npm's installer laid out (a resolving install), once its
 * files are in the store: `files` is the directory's manifest, keyed `node_modules/<path>`.
 * A package holding anything but regular files is left out.
 */
export function indexInstalledPackages(
  directory: string,
  packages: Record<string, LockedPackage>,
  files: FileManifest,
  store: string,
): void {
  const grouped = new Map<string, PackageFile[] | undefined>();
  for (const [key, hash] of Object.entries(files)) {
    const at = key.lastIndexOf('node_modules/');
    if (at === -1) continue;
    const rest = key.slice(at + 'node_modules/'.length).split('/');
    const nameLength = rest[0]?.startsWith('@') ? 2 : 1;
    const location = key.slice(0, at) + ['node_modules', ...rest.slice(0, nameLength)].join('/');
    if (!(location in packages) || rest.length <= nameLength) continue;
    if (grouped.has(location) && grouped.get(location) === undefined) continue;
    if (!HASH.test(hash)) {
      grouped.set(location, undefined);
      continue;
    }
    const info = lstatSync(join(directory, key));
    const list = grouped.get(location) ?? [];
    list.push({
      path: rest.slice(nameLength).join('/'),
      hash,
      executable: (info.mode & 0o111) !== 0,
      size: info.size,
    });
    grouped.set(location, list);
  }
  for (const [location, listed] of grouped) {
    const entry = packages[location];
    if (listed && entry) writePackageIndex(store, entry.integrity, binFiles(entry), listed);
  }
}

/**
 * Drops the index entries that name a store entry no longer there (after `pruneStore`
 * removed what no connector links to), so the index lists only packages it can lay out.
 */
export function prunePackageIndex(store: string): number {
  const directory = packageIndexDirectory(store);
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(directory, name);
    let whole = false;
    try {
      const entry = JSON.parse(readFileSync(path, 'utf8')) as IndexEntry;
      whole = entry.files.every(
        ([, hash, executable, size]) =>
          statSync(storeEntryPath(store, hash, executable === 1), { throwIfNoEntry: false })?.size === size,
      );
    } catch {
      whole = false;
    }
    if (!whole) {
      unlinkSync(path);
      removed += 1;
    }
  }
  return removed;
}

function isInsidePackage(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return posix.normalize(path) === path && !path.split('/').includes('..');
}
