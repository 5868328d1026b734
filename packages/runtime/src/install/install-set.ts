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
  /** Installed metric packages, beside the connectors; absent when none is. */
  metrics?: Record<string, InstalledConnector>;
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

/** The connector CLI of an installed connector. */
export function connectorCliPath(paths: ProjectPaths, installed: InstalledConnector): string {
  return join(paths.connectors, installed.directory, 'node_modules', installed.package, installed.bin);
}
