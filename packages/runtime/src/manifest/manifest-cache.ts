import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { RuntimeError } from '../errors.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { readTextCache, writeTextCache } from '../project/text-cache.js';
import type { Manifest } from './manifest-schema.js';

/** Bumped whenever what parsing lake.yaml gives changes (defaults, transforms): older caches are read afresh. */
const CACHE_VERSION = 2;

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
 * kept under `.lake/cache/` with the text it was parsed from (`readTextCache`), so it is
 * parsed and validated once per edit, not at every call, and those commands load neither the YAML parser
 * nor the schema library. Any change to lake.yaml (or a runtime that parses it differently)
 * misses the cache and reads it afresh, reporting its errors as `loadManifest` does. Installs
 * and syncs read lake.yaml itself.
 */
export async function loadManifestForDisplay(paths: ProjectPaths): Promise<Manifest> {
  const text = await readManifestText(paths);
  const cacheFile = join(paths.lakeDirectory, 'cache', 'manifest.json');
  const cached = await readTextCache<Manifest>(cacheFile, CACHE_VERSION, text);
  if (cached !== null && typeof cached === 'object') return cached;
  const { parseManifest } = await import('./load-manifest.js');
  const manifest = parseManifest(text, paths.manifest);
  // Only what JSON carries unchanged is cached (YAML's .inf or .nan would not be).
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(manifest)), manifest)) {
    await writeTextCache(cacheFile, CACHE_VERSION, text, manifest);
  }
  return manifest;
}
