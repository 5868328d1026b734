import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { ProjectPaths } from '../project/project-paths.js';
import type { LockedConnector } from './lockfile.js';

/**
 * The working set: which directory under `.lake/connectors/` holds each connector. It is
 * replaced in one rename at the end of an install, so a failed install leaves the previous
 * set in place and running.
 */
export interface InstalledConnector {
  directory: string;
  package: string;
  version: string;
  source: LockedConnector['source'];
  integrity: string;
  lockDigest: string;
  bin: string;
}

export interface InstallSet {
  setVersion: 1;
  connectors: Record<string, InstalledConnector>;
}

export async function readInstallSet(paths: ProjectPaths): Promise<InstallSet> {
  try {
    const set = JSON.parse(await readFile(paths.installSet, 'utf8')) as InstallSet;
    return set.setVersion === 1 ? set : { setVersion: 1, connectors: {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { setVersion: 1, connectors: {} };
    throw error;
  }
}

export async function writeInstallSet(paths: ProjectPaths, set: InstallSet): Promise<void> {
  await writeFileAtomic(paths.installSet, `${JSON.stringify(set, null, 2)}\n`);
}

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

/** The connector CLI of an installed connector. */
export function connectorCliPath(paths: ProjectPaths, installed: InstalledConnector): string {
  return join(paths.connectors, installed.directory, 'node_modules', installed.package, installed.bin);
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
