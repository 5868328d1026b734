import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
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

/** One read buffer, reused for every file: hashing 50 MB allocates nothing per file. */
const BUFFER_SIZE = 1 << 20;

/**
 * Hashes every file under `directory`. This runs before every sync, so it is made to be fast:
 * synchronous reads into one reused buffer. Through the thread pool each of the ~3,000 files
 * of a connector would cost three round trips (open, read, close) and a fresh buffer; read in
 * place they cost a few system calls, and the whole git connector (~50 MB) hashes in about
 * 0.1–0.2 s (`pnpm bench` measures it). Nothing else waits on the event loop meanwhile: a sync
 * checks its connectors before it starts any.
 */
export async function readInstalledFiles(directory: string): Promise<FileManifest> {
  const manifest: FileManifest = {};
  const buffer = Buffer.allocUnsafe(BUFFER_SIZE);
  const pending = [directory];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        pending.push(path);
        continue;
      }
      const key = relative(directory, path).split(sep).join('/');
      if (BOOKKEEPING_FILES.has(key)) continue;
      if (entry.isSymbolicLink()) manifest[key] = `link:${readlinkSync(path)}`;
      else if (entry.isFile()) manifest[key] = hashFile(path, buffer);
      // Fifos, sockets and devices have no business here: listed unread (a fifo would block
      // the read), so they show up as added.
      else manifest[key] = 'special';
    }
  }
  return sortedManifest(manifest);
}

function hashFile(path: string, buffer: Buffer): string {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const hash = createHash('sha256');
    for (let read = readSync(descriptor, buffer); read > 0; read = readSync(descriptor, buffer)) {
      hash.update(buffer.subarray(0, read));
    }
    return `sha256-${hash.digest('base64')}`;
  } catch (error) {
    // Removed or made unreadable while we looked: a difference like any other.
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
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
