import { createHash } from 'node:crypto';
import { mkdir, symlink } from 'node:fs/promises';
import { basename, join, posix, relative } from 'node:path';
import type { LockedPackage } from './lockfile.js';
import type { PackageFile } from './package-index.js';
import type { StoreWriter } from './store-writer.js';
import { readTarEntries } from './tar-reader.js';

/**
 * Unpacks a package tarball (already checked against the lock) into `target` exactly as npm
 * does (pacote's extraction), so that a directory laid out here has the same files, byte for
 * byte, as one npm's installer laid out — lake.lock's digest of the files depends on it: the
 * top `package/` folder is dropped, links and other non-files inside the tarball are skipped,
 * a later entry for the same path wins, a `.gitignore` becomes `.npmignore` unless the
 * tarball has one, and the package's bins are made executable with a Windows line ending
 * after their `#!` line removed (npm's bin linking). Each file goes into the store and is
 * linked from there (`StoreWriter`); the files are returned for the store index.
 */
export function unpackPackage(
  bytes: Buffer,
  target: string,
  bins: ReadonlySet<string>,
  writer: StoreWriter,
): PackageFile[] {
  const files = new Map<string, { data: Buffer; executable: boolean }>();
  for (const entry of readTarEntries(bytes)) {
    if (entry.type !== 'file') continue;
    let path = packagePath(entry.path);
    if (path === undefined) continue;
    const name = basename(path);
    if (name === '.gitignore') {
      const renamed = `${path.slice(0, -'.gitignore'.length)}.npmignore`;
      if (files.has(renamed)) continue;
      path = renamed;
    }
    let data = entry.data;
    let executable = (entry.mode & 0o111) !== 0;
    if (bins.has(path)) {
      executable = true;
      data = withoutCarriageReturnAfterShebang(data);
    }
    files.set(path, { data, executable });
  }
  const listed: PackageFile[] = [];
  for (const [path, { data, executable }] of files) {
    const hash = `sha256-${createHash('sha256').update(data).digest('base64')}`;
    writer.place(join(target, path), hash, executable, data);
    listed.push({ path, hash, executable, size: data.length });
  }
  return listed;
}

/**
 * `package/lib/x.js` → `lib/x.js`; undefined for what npm would not write (nothing left after
 * the top folder, or a path climbing out of the package).
 */
function packagePath(archived: string): string | undefined {
  const parts = archived
    .replace(/^\/+/, '')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (parts.length < 2 || parts.includes('..')) return undefined;
  return parts.slice(1).join('/');
}

/** The files of a package that are bins, relative to the package (`./bin/x.js` → `bin/x.js`). */
export function binFiles(entry: LockedPackage): Set<string> {
  const bins = entry.bin;
  if (!bins || typeof bins !== 'object') return new Set();
  return new Set(Object.values(bins as Record<string, string>).map((file) => posix.normalize(file)));
}

function withoutCarriageReturnAfterShebang(data: Buffer): Buffer {
  const firstLineEnd = data.indexOf(10);
  if (data[0] === 0x23 && data[1] === 0x21 && firstLineEnd > 0 && data[firstLineEnd - 1] === 13) {
    return Buffer.concat([data.subarray(0, firstLineEnd - 1), data.subarray(firstLineEnd)]);
  }
  return data;
}

/**
 * The `.bin` links npm makes for a tree: each package's bins in the `node_modules/.bin` of the
 * folder that holds it, as relative links. Their targets were made executable when unpacked:
 * they are store entries now, never written through.
 */
export async function linkBins(directory: string, packages: Record<string, LockedPackage>): Promise<void> {
  for (const [location, entry] of Object.entries(packages)) {
    const bins = entry.bin;
    if (!bins || typeof bins !== 'object') continue;
    const holder = location.slice(0, location.lastIndexOf('node_modules/') + 'node_modules'.length);
    const binDirectory = join(directory, holder, '.bin');
    for (const [name, file] of Object.entries(bins as Record<string, string>)) {
      const target = join(directory, location, file);
      await mkdir(binDirectory, { recursive: true });
      await symlink(relative(binDirectory, target), join(binDirectory, basename(name)));
    }
  }
}
