import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { ProjectPaths } from '../project/project-paths.js';
import type { LockedConnector } from './lockfile.js';

/** What `lake list` shows of the lock: per connector, its version, source and package. */
export interface LockSummary {
  runtime: string;
  connectors: Record<string, Pick<LockedConnector, 'package' | 'version' | 'source'>>;
}

/**
 * The lock's summary for display (`lake list`), without parsing 40 KB of YAML at every call:
 * kept as JSON under `.lake/cache/` by the sha256 of lake.lock's text, so any change to the
 * lock reads it afresh (and only then loads the YAML parser and the lock's schema). Only for showing: installs, syncs and `lake verify` read lake.lock
 * itself (`readLockfile`), which is the reference because it lives outside `.lake/`.
 */
export async function readLockSummary(paths: ProjectPaths): Promise<LockSummary | undefined> {
  let text: string;
  try {
    text = await readFile(paths.lock, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const digest = createHash('sha256').update(text).digest('hex');
  const cacheFile = join(paths.lakeDirectory, 'cache', 'lock-summary.json');
  const cached = await readFile(cacheFile, 'utf8').then(
    // A damaged cache is no cache.
    (json) => parseOrUndefined(json) as { digest: string; summary: LockSummary } | undefined,
    () => undefined,
  );
  if (cached?.digest === digest) return cached.summary;
  const { readLockfile } = await import('./lockfile.js');
  const lock = await readLockfile(paths);
  if (!lock) return undefined;
  const summary: LockSummary = {
    runtime: lock.runtime,
    connectors: Object.fromEntries(
      Object.entries(lock.connectors).map(([name, entry]) => [
        name,
        { package: entry.package, version: entry.version, source: entry.source },
      ]),
    ),
  };
  await mkdir(dirname(cacheFile), { recursive: true })
    .then(() => writeFileAtomic(cacheFile, `${JSON.stringify({ digest, summary })}\n`))
    .catch(() => {});
  return summary;
}

function parseOrUndefined(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
