import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface WorkspacePackage {
  /** Absolute directory. */
  directory: string;
  /** Relative to the repository root, e.g. `connectors/git`. */
  path: string;
  manifest: PackageManifest;
}

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  lake?: { connector?: unknown; contract?: unknown; domainTypes?: unknown };
  [field: string]: unknown;
}

/** The folders packages live in (as in pnpm-workspace.yaml). */
export const WORKSPACE_FOLDERS = ['packages', 'connectors', 'tools'] as const;
/** Packages that are a folder of their own (as in pnpm-workspace.yaml). */
export const WORKSPACE_PACKAGES = ['registry'] as const;

/** Every package of the workspace, sorted by path. */
export async function workspacePackages(root: string): Promise<WorkspacePackage[]> {
  const candidates: string[] = [...WORKSPACE_PACKAGES];
  for (const folder of WORKSPACE_FOLDERS) {
    const entries = await readdir(join(root, folder), { withFileTypes: true }).catch(() => []);
    candidates.push(...entries.filter((entry) => entry.isDirectory()).map((entry) => join(folder, entry.name)));
  }
  const found: WorkspacePackage[] = [];
  for (const path of candidates) {
    const directory = join(root, path);
    const text = await readFile(join(directory, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) found.push({ directory, path, manifest: JSON.parse(text) as PackageManifest });
  }
  return found.sort((left, right) => left.path.localeCompare(right.path));
}

/** Packages that are published: not private. */
export async function publishablePackages(root: string): Promise<WorkspacePackage[]> {
  return (await workspacePackages(root)).filter((pkg) => !pkg.manifest.private);
}
