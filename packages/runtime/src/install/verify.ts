import { join } from 'node:path';
import type { ProjectPaths } from '../project/project-paths.js';
import { checkInstalledFiles } from '../trust/files-check.js';
import type { FileChanges } from '../trust/installed-files.js';
import { type InstallRecord, readInstallRecord } from './install-record.js';
import { readInstallSet } from './install-set.js';
import { lockDigest } from './lock-digest.js';
import { type LockedConnector, readLockfile } from './lockfile.js';
import { entryOf, type PackageKind, type PackageRef, packageRefs } from './package-kind.js';

export interface VerifiedConnector {
  name: string;
  kind: PackageKind;
  version: string;
  ok: boolean;
  problems: string[];
  changes: FileChanges;
}

/**
 * `lake verify`: every installed connector against lake.lock — its files against the digest
 * the lock records (so a rewritten `lake-install.json` fools nobody), and the closure it was
 * installed from against the lock's. Reports each changed, missing and added file.
 */
export async function verifyInstall(paths: ProjectPaths): Promise<VerifiedConnector[]> {
  const [set, lock] = await Promise.all([readInstallSet(paths), readLockfile(paths)]);
  const refs = new Map<string, PackageRef>();
  for (const ref of [...packageRefs(set), ...packageRefs(lock ?? {})]) refs.set(`${ref.kind}:${ref.name}`, ref);
  return Promise.all(
    [...refs.values()].map(async (ref): Promise<VerifiedConnector> => {
      const installed = entryOf(set, ref);
      const entry = entryOf(lock, ref);
      const result: VerifiedConnector = {
        name: ref.name,
        kind: ref.kind,
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
      if (entry && record && record.lockDigest !== lockDigest(entry)) {
        result.problems.push(
          `installed from another lock entry than lake.lock's: ${closureDifferences(record, entry)}`,
        );
      } else if (entry && installed.lockDigest !== lockDigest(entry)) {
        result.problems.push(
          `installed.json names ${installed.version} from another lock entry than lake.lock's ${entry.version} (run \`lake install\`)`,
        );
      }
      const check = await checkInstalledFiles(directory, entry?.filesDigest);
      result.changes = check.changes;
      if (!check.ok && check.problem) result.problems.push(check.problem);
      result.ok = result.problems.length === 0;
      return result;
    }),
  );
}

/** What differs between the closure a directory was installed from and the lock's, package by package. */
function closureDifferences(record: InstallRecord, entry: LockedConnector): string {
  if (!record.packages) {
    return record.version === entry.version
      ? `${entry.package} ${entry.version} with another dependency closure (installed by an older runtime; \`lake install --force\` reinstalls it)`
      : `installed ${record.version}, lake.lock holds ${entry.version}`;
  }
  const differences: string[] = [];
  for (const [location, locked] of Object.entries(entry.packages)) {
    const had = record.packages[location];
    if (!had) differences.push(`${location} ${locked.version} is not installed`);
    else if (had.version !== locked.version || had.integrity !== locked.integrity) {
      differences.push(
        had.version === locked.version
          ? `${location} ${locked.version}: installed ${had.integrity}, lake.lock ${locked.integrity}`
          : `${location}: installed ${had.version}, lake.lock ${locked.version}`,
      );
    }
  }
  for (const location of Object.keys(record.packages)) {
    if (!(location in entry.packages)) differences.push(`${location} is installed but not in lake.lock`);
  }
  if (differences.length === 0) return `${entry.package} ${entry.version} (the lock entry changed otherwise)`;
  const shown = differences.slice(0, 5).join('; ');
  return differences.length > 5 ? `${shown}; and ${differences.length - 5} more` : shown;
}
