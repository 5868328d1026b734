import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../project/atomic-write.js';

/**
 * What an installed connector directory held right after its install: a sha256 for every
 * file (symlinks by their target). Taken straight after the tarballs were checked against
 * the lock and unpacked with no install scripts run, so it is what the lock's tarballs
 * contain; `lake verify` compares the directory with it.
 */
export interface InstallRecord {
  recordVersion: 1;
  connector: string;
  package: string;
  version: string;
  integrity: string;
  /** Digest of the lock entry this directory was installed from. */
  lockDigest: string;
  files: Record<string, string>;
}

export const INSTALL_RECORD_FILE = 'lake-install.json';

export async function hashDirectory(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(current, entry.name);
        const key = relative(directory, path);
        if (key === INSTALL_RECORD_FILE) return;
        if (entry.isSymbolicLink()) files[key] = `link:${await readlink(path)}`;
        else if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) files[key] = await hashFile(path);
      }),
    );
  };
  await walk(directory);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(`sha256-${hash.digest('base64')}`));
  });
}

export async function writeInstallRecord(directory: string, record: Omit<InstallRecord, 'files' | 'recordVersion'>) {
  const full: InstallRecord = { recordVersion: 1, ...record, files: await hashDirectory(directory) };
  await writeFileAtomic(join(directory, INSTALL_RECORD_FILE), `${JSON.stringify(full, null, 1)}\n`);
  return full;
}

export async function readInstallRecord(directory: string): Promise<InstallRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(directory, INSTALL_RECORD_FILE), 'utf8')) as InstallRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export interface DirectoryChanges {
  changed: string[];
  missing: string[];
  added: string[];
}

export async function compareWithRecord(directory: string, record: InstallRecord): Promise<DirectoryChanges> {
  const now = await hashDirectory(directory);
  const changes: DirectoryChanges = { changed: [], missing: [], added: [] };
  for (const [path, hash] of Object.entries(record.files)) {
    if (!(path in now)) changes.missing.push(path);
    else if (now[path] !== hash) changes.changed.push(path);
  }
  for (const path of Object.keys(now)) if (!(path in record.files)) changes.added.push(path);
  return changes;
}
