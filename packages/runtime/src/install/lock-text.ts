import { readFile } from 'node:fs/promises';
import type { ProjectPaths } from '../project/project-paths.js';

/** lake.lock's text, or undefined when there is none yet. Loads nothing to parse it. */
export async function readLockText(paths: ProjectPaths): Promise<string | undefined> {
  try {
    return await readFile(paths.lock, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
