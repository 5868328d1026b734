import { join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { connectorCliPath, readInstallSet } from '../install/install-set.js';
import { lockDigest } from '../install/lock-digest.js';
import { readLockfile } from '../install/lockfile.js';
import { type PackageKind, sectionOf } from '../install/package-kind.js';
import type { ProjectPaths } from '../project/project-paths.js';

/** An installed connector (or metric) as `lake sync` runs it. */
export interface WorkingConnector {
  name: string;
  package: string;
  version: string;
  /** Absolute path of its CLI. */
  cli: string;
  /** Its install directory, and the digest of its files lake.lock records. */
  directory: string;
  filesDigest: string | undefined;
}

/**
 * The connectors (or, with `kind`, the metrics) `lake install` last switched to, checked
 * against lake.lock: a working set that no longer matches the lock (the lock was pulled or
 * edited since) is not run.
 */
export async function loadWorkingSet(
  paths: ProjectPaths,
  kind: PackageKind = 'connector',
): Promise<Map<string, WorkingConnector>> {
  const [set, lock] = await Promise.all([readInstallSet(paths), readLockfile(paths)]);
  if (!lock) throw new RuntimeError('LOCK_MISSING', `no ${paths.lock}; run \`lake install\``);
  const section = sectionOf(kind);
  const working = new Map<string, WorkingConnector>();
  const stale: string[] = [];
  for (const [name, entry] of Object.entries(lock[section] ?? {})) {
    const installed = set[section]?.[name];
    if (!installed) continue;
    if (installed.lockDigest !== lockDigest(entry)) {
      stale.push(`${name} (installed ${installed.version}, locked ${entry.version})`);
      continue;
    }
    working.set(name, {
      name,
      package: installed.package,
      version: installed.version,
      cli: connectorCliPath(paths, installed),
      directory: join(paths.connectors, installed.directory),
      filesDigest: entry.filesDigest,
    });
  }
  if (stale.length > 0) {
    throw new RuntimeError(
      'NOT_INSTALLED',
      `the installed ${section} differ from lake.lock: ${stale.join(', ')}; run \`lake install\``,
    );
  }
  return working;
}
