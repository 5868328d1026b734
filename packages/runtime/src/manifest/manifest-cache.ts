import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { RuntimeError } from '../errors.js';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { ProjectPaths } from '../project/project-paths.js';
import type { Manifest } from './manifest-schema.js';

/** Bumped whenever what parsing lake.yaml gives changes (defaults, transforms): older caches are read afresh. */
const CACHE_VERSION = 1;

/** lake.yaml's text; MANIFEST_NOT_FOUND naming the project when there is none. */
export async function readManifestText(paths: ProjectPaths): Promise<string> {
  try {
    return await readFile(paths.manifest, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RuntimeError(
        'MANIFEST_NOT_FOUND',
        `no lake.yaml in ${paths.root} (create one with \`lake init\`, or pass --project <dir>)`,
      );
    }
    throw error;
  }
}

/**
 * lake.yaml, validated, for commands that only show things (`lake list`, `status`, `info`):
 * kept as JSON under `.lake/cache/` by the sha256 of lake.yaml's text, so it is parsed and
 * validated once per edit, not at every call, and those commands load neither the YAML parser
 * nor the schema library. Any change to lake.yaml (or a runtime that parses it differently)
 * misses the cache and reads it afresh, reporting its errors as `loadManifest` does. Installs
 * and syncs read lake.yaml itself.
 */
export async function loadManifestForDisplay(paths: ProjectPaths): Promise<Manifest> {
  const text = await readManifestText(paths);
  const digest = createHash('sha256').update(`${CACHE_VERSION}\n${text}`).digest('hex');
  const cacheFile = join(paths.lakeDirectory, 'cache', 'manifest.json');
  const cached = await readFile(cacheFile, 'utf8').then(
    // A damaged cache is no cache.
    (json) => parseOrUndefined(json) as { digest?: unknown; manifest?: Manifest } | undefined,
    () => undefined,
  );
  if (cached?.digest === digest && cached.manifest !== null && typeof cached.manifest === 'object') {
    return cached.manifest;
  }
  const { parseManifest } = await import('./load-manifest.js');
  const manifest = parseManifest(text, paths.manifest);
  const json = JSON.stringify({ digest, manifest });
  // Only what JSON carries unchanged is cached (YAML's .inf or .nan would not be).
  if (isDeepStrictEqual((JSON.parse(json) as { manifest: Manifest }).manifest, manifest)) {
    await writeFileAtomic(cacheFile, `${json}\n`).catch(() => {});
  }
  return manifest;
}

function parseOrUndefined(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}
