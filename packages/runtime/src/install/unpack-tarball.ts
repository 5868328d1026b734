import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type ReadEntry } from 'tar';
import type { LockedPackage } from './lockfile.js';

/**
 * Unpacks a package tarball (already checked against the lock) into `target` exactly as npm
 * does (pacote's extraction), so that a directory laid out here has the same files, byte for
 * byte, as one npm's installer laid out — lake.lock's digest of the files depends on it: the
 * top `package/` folder is dropped, links inside the tarball are skipped, and a `.gitignore`
 * becomes `.npmignore` unless the tarball has one.
 */
export async function unpackTarball(bytes: Buffer, target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  const ignoreFiles = new Set<string>();
  await pipeline(
    Readable.from([bytes]),
    extract({
      cwd: target,
      strip: 1,
      noChmod: true,
      noMtime: true,
      preserveOwner: false,
      filter: (_path: string, entry: ReadEntry | import('node:fs').Stats) => {
        const item = entry as ReadEntry;
        if (!/File$/.test(item.type)) return false;
        // Owner may always read and write; execute bits stay as packed.
        item.mode = ((item.mode ?? 0o644) | 0o644) & 0o755;
        const name = basename(item.path);
        if (name === '.npmignore') ignoreFiles.add(item.path);
        else if (name === '.gitignore') {
          const renamed = item.path.replace(/\.gitignore$/, '.npmignore');
          if (ignoreFiles.has(renamed)) return false;
          item.path = renamed;
        }
        return true;
      },
    }),
  );
}

/**
 * The `.bin` links npm makes for a tree: each package's bins in the `node_modules/.bin` of the
 * folder that holds it, as relative links, their targets made executable (and a Windows line
 * ending after the `#!` line removed, as npm does).
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
      await makeExecutable(target);
    }
  }
}

async function makeExecutable(path: string): Promise<void> {
  const text = await readFile(path).catch(() => undefined);
  if (!text) return;
  const firstLineEnd = text.indexOf(10);
  if (text.subarray(0, 2).toString() === '#!' && firstLineEnd > 0 && text[firstLineEnd - 1] === 13) {
    await writeFile(path, Buffer.concat([text.subarray(0, firstLineEnd - 1), text.subarray(firstLineEnd)]));
  }
  await chmod(path, 0o755);
}
