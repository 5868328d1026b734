import { createHash } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * What an installed connector directory holds: a sha256 for every file (a symlink by its
 * target), keyed by its path relative to the directory with `/` separators.
 */
export type FileManifest = Record<string, string>;

/**
 * The installer's own bookkeeping, left out of the manifest. Node never loads these files,
 * and npm writes them differently depending on how it got there (a resolving install records
 * the ranges it resolved, an install from the lock only the lock), so including them would
 * make a frozen install in a fresh checkout disagree with the install that wrote the lock.
 * Everything else — every file and link of every package, `.bin` links, the root
 * `package.json` — is in it.
 */
export const BOOKKEEPING_FILES: ReadonlySet<string> = new Set([
  'lake-install.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
]);

/** Files hashed at once: enough to keep the disk and the thread pool busy, few enough to bound memory. */
const CONCURRENCY = 8;

/**
 * Hashes every file under `directory`. This runs before every sync, so it reads whole files
 * (a connector's files are small; the largest, a bundled C source, is ~9 MB) several at a
 * time rather than streaming them one by one: ~50 MB, 3,000 files in about 0.3 s.
 */
export async function readInstalledFiles(directory: string): Promise<FileManifest> {
  const files: string[] = [];
  const links: string[] = [];
  const special: string[] = [];
  const pending = [directory];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isSymbolicLink()) links.push(path);
      else if (entry.isFile()) files.push(path);
      // Fifos, sockets and devices have no business here: listed unread (a fifo would block
      // the read), so they show up as added.
      else special.push(path);
    }
  }
  const manifest: FileManifest = {};
  const keyOf = (path: string) => relative(directory, path).split(sep).join('/');
  for (const path of links) {
    const key = keyOf(path);
    if (!BOOKKEEPING_FILES.has(key)) manifest[key] = `link:${await readlink(path)}`;
  }
  for (const path of special) manifest[keyOf(path)] = 'special';
  let next = 0;
  const hashNext = async (): Promise<void> => {
    while (next < files.length) {
      const path = files[next++] as string;
      const key = keyOf(path);
      if (BOOKKEEPING_FILES.has(key)) continue;
      manifest[key] = await hashFile(path);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, hashNext));
  return sortedManifest(manifest);
}

async function hashFile(path: string): Promise<string> {
  try {
    return `sha256-${createHash('sha256')
      .update(await readFile(path))
      .digest('base64')}`;
  } catch (error) {
    // Removed or made unreadable while we looked: a difference like any other.
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

export function sortedManifest(manifest: FileManifest): FileManifest {
  return Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * One digest for a whole manifest: sha256 over its sorted `[path, hash]` pairs as JSON. It is
 * what lake.lock records per connector, so the same lock always gives the same digest.
 */
export function filesDigest(manifest: FileManifest): string {
  const text = JSON.stringify(Object.entries(sortedManifest(manifest)));
  return `sha256-${createHash('sha256').update(text).digest('base64')}`;
}

export interface FileChanges {
  changed: string[];
  missing: string[];
  added: string[];
}

export function compareFiles(expected: FileManifest, actual: FileManifest): FileChanges {
  const changes: FileChanges = { changed: [], missing: [], added: [] };
  for (const [path, hash] of Object.entries(expected)) {
    if (!(path in actual)) changes.missing.push(path);
    else if (actual[path] !== hash) changes.changed.push(path);
  }
  for (const path of Object.keys(actual)) if (!(path in expected)) changes.added.push(path);
  return changes;
}

export function changeCount(changes: FileChanges): number {
  return changes.changed.length + changes.missing.length + changes.added.length;
}

/** `changed node_modules/x/index.js, added node_modules/y.js` — the first few, then how many more. */
export function describeChanges(changes: FileChanges, limit = 3): string {
  const all = [
    ...changes.changed.map((path) => `changed ${path}`),
    ...changes.missing.map((path) => `missing ${path}`),
    ...changes.added.map((path) => `added ${path}`),
  ];
  const shown = all.slice(0, limit).join(', ');
  return all.length > limit ? `${shown} and ${all.length - limit} more` : shown;
}
