import { join } from 'node:path';
import type { ProjectPaths } from '../project/project-paths.js';
import { readTextCache, writeTextCache } from '../project/text-cache.js';
import { readLockText } from './lock-text.js';
import type { LockedConnector } from './lockfile.js';

/** What `lake list` shows of the lock: per connector, its version, source and package. */
export interface LockSummary {
  runtime: string;
  connectors: Record<string, Pick<LockedConnector, 'package' | 'version' | 'source'>>;
  metrics?: Record<string, Pick<LockedConnector, 'package' | 'version' | 'source'>>;
}

/**
 * The lock's summary for display (`lake list`), without parsing 40 KB of YAML at every call:
 * kept under `.lake/cache/` with lake.lock's text (`readTextCache`), so any change to the lock
 * reads it afresh (and only then loads the YAML parser and the lock's schema). Only for
 * showing: installs, syncs and `lake verify` read lake.lock itself (`readLockfile`), which is the reference because it lives outside `.lake/`.
 */
export async function readLockSummary(paths: ProjectPaths): Promise<LockSummary | undefined> {
  const text = await readLockText(paths);
  if (text === undefined) return undefined;
  const cacheFile = join(paths.lakeDirectory, 'cache', 'lock-summary.json');
  const cached = await readTextCache<LockSummary>(cacheFile, 2, text);
  if (cached) return cached;
  const { readLockfile } = await import('./lockfile.js');
  const lock = await readLockfile(paths);
  if (!lock) return undefined;
  const summarize = (entries: Record<string, LockedConnector>) =>
    Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [
        name,
        { package: entry.package, version: entry.version, source: entry.source },
      ]),
    );
  const summary: LockSummary = {
    runtime: lock.runtime,
    connectors: summarize(lock.connectors),
    metrics: summarize(lock.metrics ?? {}),
  };
  await writeTextCache(cacheFile, 2, text, summary);
  return summary;
}
