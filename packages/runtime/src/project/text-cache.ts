import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';

/**
 * What was worked out from a file's text (a validated lake.yaml, the summary of lake.lock),
 * kept under `.lake/cache/` with that text for commands that only show things. The text is
 * compared whole — no hashing, which would load node:crypto for this alone — so any edit
 * misses the cache. A cache that is missing, damaged or of another `version` is no cache.
 */
export async function readTextCache<T>(file: string, version: number, text: string): Promise<T | undefined> {
  let cached: { version?: unknown; text?: unknown; value?: T } | undefined;
  try {
    cached = JSON.parse(await readFile(file, 'utf8')) as typeof cached;
  } catch {
    return undefined;
  }
  return cached?.version === version && cached.text === text && cached.value !== undefined ? cached.value : undefined;
}

/** Keeps `value` for `text`; only what JSON carries unchanged is worth keeping, which the caller checks. Never fails. */
export async function writeTextCache(file: string, version: number, text: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ version, text, value })}\n`).catch(() => {});
}
