import { join } from 'node:path';
import type { ProjectPaths } from '../project/project-paths.js';
import { compareWithRecord, type DirectoryChanges, readInstallRecord } from './install-record.js';
import { lockDigest, readInstallSet } from './install-set.js';
import { readLockfile } from './lockfile.js';

export interface VerifiedConnector {
  name: string;
  version: string;
  ok: boolean;
  problems: string[];
  changes: DirectoryChanges;
}

/**
 * `lake verify`: every installed connector's files against the record taken when its
 * tarballs had just been checked against the lock, and that record against the lock itself.
 * Reports each changed, missing and added file.
 */
export async function verifyInstall(paths: ProjectPaths): Promise<VerifiedConnector[]> {
  const [set, lock] = await Promise.all([readInstallSet(paths), readLockfile(paths)]);
  const names = [...new Set([...Object.keys(set.connectors), ...Object.keys(lock?.connectors ?? {})])].sort();
  return Promise.all(
    names.map(async (name): Promise<VerifiedConnector> => {
      const installed = set.connectors[name];
      const entry = lock?.connectors[name];
      const result: VerifiedConnector = {
        name,
        version: installed?.version ?? entry?.version ?? '',
        ok: false,
        problems: [],
        changes: { changed: [], missing: [], added: [] },
      };
      if (!entry) result.problems.push('installed but not in lake.lock');
      if (!installed) {
        result.problems.push('locked but not installed (run `lake install`)');
        return result;
      }
      const directory = join(paths.connectors, installed.directory);
      const record = await readInstallRecord(directory).catch(() => undefined);
      if (!record) {
        result.problems.push(`${directory} has no install record (reinstall it: \`lake install\`)`);
        return result;
      }
      if (entry && (record.lockDigest !== lockDigest(entry) || record.integrity !== entry.integrity)) {
        result.problems.push(
          `installed ${record.version} (${record.integrity}) is not what lake.lock holds: ${entry.version} (${entry.integrity})`,
        );
      }
      result.changes = await compareWithRecord(directory, record);
      const { changed, missing, added } = result.changes;
      if (changed.length + missing.length + added.length > 0) {
        result.problems.push(
          `${changed.length} changed, ${missing.length} missing, ${added.length} added file(s) since install`,
        );
      }
      result.ok = result.problems.length === 0;
      return result;
    }),
  );
}
