import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../project/atomic-write.js';
import { type FileManifest, filesDigest, readInstalledFiles } from '../trust/installed-files.js';
import { lockDigest } from './lock-digest.js';
import type { LockedConnector } from './lockfile.js';

/**
 * What an installed connector directory held right after its install: a sha256 for every
 * file, taken straight after the tarballs were checked against the lock and unpacked with no
 * install scripts run. It sits beside the files, so anyone who can change them can change it
 * too: it names what changed, and lake.lock's `filesDigest` decides whether it can be believed.
 */
export interface InstallRecord {
  recordVersion: 1 | 2;
  connector: string;
  package: string;
  version: string;
  integrity: string;
  /** Digest of the lock entry this directory was installed from. */
  lockDigest: string;
  /** `filesDigest(files)`, as lake.lock records it (version 2). */
  filesDigest?: string;
  /** The closure as installed: version and integrity by location (version 2), for naming what differs from the lock. */
  packages?: Record<string, { version: string; integrity: string }>;
  files: FileManifest;
}

export const INSTALL_RECORD_FILE = 'lake-install.json';

/** Hashes `directory` into the record of `entry` installed there (written by `saveInstallRecord`). */
export async function takeInstallRecord(
  directory: string,
  name: string,
  entry: LockedConnector,
): Promise<InstallRecord> {
  const files = await readInstalledFiles(directory);
  const record: InstallRecord = {
    recordVersion: 2,
    connector: name,
    package: entry.package,
    version: entry.version,
    integrity: entry.integrity,
    lockDigest: lockDigest(entry),
    filesDigest: filesDigest(files),
    packages: Object.fromEntries(
      Object.entries(entry.packages).map(([location, locked]) => [
        location,
        { version: locked.version, integrity: locked.integrity },
      ]),
    ),
    files,
  };
  return record;
}

export async function saveInstallRecord(directory: string, record: InstallRecord): Promise<void> {
  await writeFileAtomic(join(directory, INSTALL_RECORD_FILE), `${JSON.stringify(record, null, 1)}\n`);
}

export async function readInstallRecord(directory: string): Promise<InstallRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(directory, INSTALL_RECORD_FILE), 'utf8')) as InstallRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
