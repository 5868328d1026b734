import { join } from 'node:path';
import { INSTALL_RECORD_FILE, readInstallRecord } from '../install/install-record.js';
import {
  changeCount,
  compareFiles,
  describeChanges,
  type FileChanges,
  filesDigest,
  readInstalledFiles,
} from './installed-files.js';

export interface FilesCheck {
  ok: boolean;
  /** The files that differ from the install record, when the record can be believed (or nothing better exists). */
  changes: FileChanges;
  /** Why it is not ok, naming the first files. */
  problem?: string;
  /** Files counted and bytes read, for `pnpm bench`. */
  files: number;
}

/**
 * Checks an installed connector directory against `expected`, lake.lock's digest of the
 * files that install wrote. The lock is the reference because it lives outside the directory:
 * whoever can rewrite a file and its hash in `lake-install.json` cannot make the digest of
 * the directory equal the lock's. The record is consulted only to name what changed.
 */
export async function checkInstalledFiles(directory: string, expected: string | undefined): Promise<FilesCheck> {
  const none: FileChanges = { changed: [], missing: [], added: [] };
  let actual: Record<string, string>;
  try {
    actual = await readInstalledFiles(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { ok: false, changes: none, files: 0, problem: `${directory} is missing` };
  }
  const files = Object.keys(actual).length;
  if (expected !== undefined && filesDigest(actual) === expected) return { ok: true, changes: none, files };

  const record = await readInstallRecord(directory).catch(() => undefined);
  const changes = record ? compareFiles(record.files, actual) : none;
  if (expected === undefined) {
    return {
      ok: false,
      changes,
      files,
      problem:
        'lake.lock records no digest of its files (it was written by an older runtime): run `lake install` to record one',
    };
  }
  if (!record) {
    return {
      ok: false,
      changes,
      files,
      problem: `its files differ from lake.lock's digest, and ${INSTALL_RECORD_FILE} is missing to say which`,
    };
  }
  if (filesDigest(record.files) !== expected) {
    // Someone rewrote the record (or installed over it): only the lock can be believed.
    const named = changeCount(changes) > 0 ? ` (it differs from the files in: ${describeChanges(changes)})` : '';
    return {
      ok: false,
      changes,
      files,
      problem: `its files differ from lake.lock's digest, and ${join(directory, INSTALL_RECORD_FILE)} was rewritten to match them${named}`,
    };
  }
  return {
    ok: false,
    changes,
    files,
    problem: `${changeCount(changes)} file(s) differ from what was installed: ${describeChanges(changes)}`,
  };
}
