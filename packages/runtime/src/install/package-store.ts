import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, link, lstat, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileManifest } from '../trust/installed-files.js';
import { forEachLimited } from './for-each-limited.js';
import { prunePackageIndex } from './package-index.js';

/**
 * The project's content-addressed store, `.lake/store/`: every file of every installed
 * connector once, named by its sha256 (and whether it is executable), and each connector's
 * directory holding hard links to it. Connectors keep their own `node_modules` trees — one
 * connector, one directory, resolved on its own — but the SDK and its drivers, which every
 * connector brings, take their disk space once.
 *
 * Stored files are read-only. A hard link shares its inode, so a file changed through one
 * connector's link (by someone allowed to override the mode) changes the other connectors'
 * files too: each connector's files are still checked against lake.lock's digest before it
 * runs, so every connector holding that file is refused, none silently. Repairs never write
 * into a stored file: `lake install` builds a new directory, re-reads the store entries it
 * would link to (`verifyExisting`), replaces a damaged entry with the bytes it just checked
 * against the lock, and swaps the directory in.
 */

export interface StoreLinking {
  /** Files that were new to the store. */
  stored: number;
  /** Files linked to an entry the store already held. */
  linked: number;
  /** Files left as copies (the store is on another device, or the file system has no hard links). */
  copied: number;
  /** Store entries found damaged and replaced. */
  replaced: number;
}

export interface LinkOptions {
  /** Re-hash an entry before linking to it (repairs, `--force`); otherwise its size is compared. */
  verifyExisting?: boolean;
}

/** Where the store keeps the file whose manifest hash is `hash`. */
export function storeEntryPath(store: string, hash: string, executable: boolean): string {
  const hex = Buffer.from(hash.slice('sha256-'.length), 'base64').toString('hex');
  return join(store, hex.slice(0, 2), `${hex.slice(2)}${executable ? '-x' : ''}`);
}

/**
 * Moves the regular files of `directory` (listed, with their hashes, in `files`) into the
 * store, leaving hard links in their place; a file the store already holds is replaced by a
 * link to it. Where hard links are impossible the files stay as they are.
 */
export async function linkIntoStore(
  directory: string,
  files: FileManifest,
  store: string,
  options: LinkOptions = {},
): Promise<StoreLinking> {
  const result: StoreLinking = { stored: 0, linked: 0, copied: 0, replaced: 0 };
  let linksWork = true;
  // 256 folders at most: made once each, not once per file.
  const folders = new Map<string, Promise<unknown>>();
  const folderFor = (entry: string) => {
    const folder = dirname(entry);
    if (!folders.has(folder)) folders.set(folder, mkdir(folder, { recursive: true }));
    return folders.get(folder);
  };
  const entries = Object.entries(files).filter(([, hash]) => hash.startsWith('sha256-'));
  await forEachLimited(entries, 16, async ([key, hash]) => {
    const path = join(directory, key);
    if (!linksWork) {
      result.copied += 1;
      return;
    }
    const info = await lstat(path);
    if (!info.isFile()) return;
    const executable = (info.mode & 0o111) !== 0;
    const entry = storeEntryPath(store, hash, executable);
    const existing = await stat(entry).catch(() => undefined);
    if (existing) {
      const sound = existing.size === info.size && (!options.verifyExisting || (await hashOf(entry)) === hash);
      if (sound) {
        if (existing.ino === info.ino) {
          result.linked += 1;
          return;
        }
        const temporary = `${path}.lake-link`;
        await link(entry, temporary);
        await rename(temporary, path);
        result.linked += 1;
        return;
      }
      // Damaged (changed through some connector's link): the store takes these checked bytes instead.
      await unlink(entry);
      result.replaced += 1;
    }
    await chmod(path, executable ? 0o555 : 0o444);
    await folderFor(entry);
    try {
      await link(path, entry);
      result.stored += 1;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        result.linked += 1;
        return;
      }
      if (code === 'EXDEV' || code === 'EPERM' || code === 'ENOTSUP' || code === 'EMLINK') {
        // No hard links here: every connector keeps its own copy, as before the store.
        linksWork = false;
        result.copied += 1;
        return;
      }
      throw error;
    }
  });
  return result;
}

/**
 * Removes the store entries no connector directory links to any more (a link count of one:
 * the store's own), after an install removed the directories that used them.
 */
export async function pruneStore(store: string): Promise<number> {
  let removed = 0;
  const prefixes = await readdir(store).catch(() => [] as string[]);
  // Entries sit in folders named by the first two hex digits of their hash; `index/` is the package index.
  for (const prefix of prefixes.filter((name) => /^[0-9a-f]{2}$/.test(name))) {
    const folder = join(store, prefix);
    const names = await readdir(folder).catch(() => [] as string[]);
    await forEachLimited(names, 16, async (name) => {
      const path = join(folder, name);
      const info = await lstat(path).catch(() => undefined);
      if (info?.isFile() && info.nlink <= 1) {
        await unlink(path).catch(() => {});
        removed += 1;
      }
    });
  }
  if (removed > 0) prunePackageIndex(store);
  return removed;
}

function hashOf(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(`sha256-${hash.digest('base64')}`));
  });
}
