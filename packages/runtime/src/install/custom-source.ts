import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { RuntimeError } from '../errors.js';
import type { ProjectPaths } from '../project/project-paths.js';
import type { Lockfile } from './lockfile.js';
import { loadArborist, loadPacote } from './npm-libraries.js';
import { entryOf, packageRefs } from './package-kind.js';

export interface PackedConnector {
  /** The tarball under `.lake/custom/`, named by its content. */
  tarball: string;
  integrity: string;
  manifest: Record<string, unknown>;
}

/**
 * A custom connector as a tarball with an integrity, whether lake.yaml points at a directory
 * (packed the way `npm pack` does, without running scripts) or at a tarball. Relative paths
 * are relative to the project.
 */
export async function packCustomConnector(
  paths: ProjectPaths,
  kind: 'path' | 'tarball',
  path: string,
): Promise<PackedConnector> {
  const source = resolve(paths.root, path);
  try {
    await access(source);
  } catch {
    throw new RuntimeError(
      'CONNECTOR_UNKNOWN',
      `custom connector ${kind} ${path} does not exist (resolved to ${source})`,
    );
  }
  const pacote = await loadPacote();
  let bytes: Buffer;
  try {
    bytes =
      kind === 'path'
        ? await pacote.tarball(`file:${source}`, { ignoreScripts: true, Arborist: await loadArborist() })
        : await readFile(source);
  } catch (error) {
    throw new RuntimeError('INSTALL_FAILED', `cannot pack custom connector ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const digest = createHash('sha512').update(bytes).digest();
  const integrity = `sha512-${digest.toString('base64')}`;
  await mkdir(paths.custom, { recursive: true });
  const tarball = join(paths.custom, `${digest.toString('hex').slice(0, 16)}.tgz`);
  await writeFile(tarball, bytes);
  let manifest: Record<string, unknown>;
  try {
    manifest = await pacote.manifest(`file:${tarball}`, { fullMetadata: true });
  } catch (error) {
    throw new RuntimeError(
      'CONNECTOR_INVALID',
      `custom connector ${path} has no readable package.json: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return { tarball, integrity, manifest };
}

/** The dependency spec an install directory (two levels under `.lake/`) uses for a custom tarball. */
export function customDependencySpec(paths: ProjectPaths, tarball: string): string {
  return `file:${relative(join(paths.connectors, 'any'), tarball)}`;
}

/**
 * Removes packed tarballs under `.lake/custom/` that `lock` does not name: those of a custom
 * connector refused at install, or replaced by a newer pack. Run at the end of every install,
 * whether it succeeded (the new lock) or not (the lock as it was).
 */
export async function collectCustomTarballs(paths: ProjectPaths, lock: Lockfile | undefined): Promise<void> {
  const named = new Set(
    packageRefs(lock ?? {})
      .map((ref) => entryOf(lock, ref)!)
      .filter((entry) => entry.source !== 'registry')
      .map((entry) => resolve(paths.root, entry.resolved)),
  );
  const entries = await readdir(paths.custom).catch(() => [] as string[]);
  await Promise.all(
    entries
      .map((entry) => join(paths.custom, entry))
      .filter((file) => !named.has(file))
      .map((file) => rm(file, { force: true })),
  );
}
