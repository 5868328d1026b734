import { createHash } from 'node:crypto';
import type { LockedConnector } from './lockfile.js';

// Apart from install-set.ts, whose readers (`lake list`, `lake --help`) need no hashing.

/** A stable digest of a lock entry: same entry, same directory. */
export function lockDigest(entry: LockedConnector): string {
  // What is on disk depends on these alone; how lake.yaml asked for it does not.
  const installed = {
    package: entry.package,
    version: entry.version,
    integrity: entry.integrity,
    packages: entry.packages,
  };
  return createHash('sha256').update(canonicalJson(installed)).digest('hex');
}

export function installDirectoryName(name: string, entry: LockedConnector): string {
  return `${name}@${entry.version}-${lockDigest(entry).slice(0, 12)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
