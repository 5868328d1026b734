import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ConnectorTypesOf, z } from '@lake/sdk';
import type { GitRepository } from './git/git-repository.js';

export const connectionSchema = z.object({
  gitBinary: z.string().min(1).default('git').describe('The git executable to run (default: git on PATH)'),
  root: z
    .string()
    .min(1)
    .optional()
    .describe('Directory whose repositories `remote-scopes` lists (default: the current directory)'),
});

export const scopeSchema = z.object({
  path: z.string().min(1).describe('Path of the repository (its work tree or a bare repository)'),
  name: z.string().min(1).optional().describe('Display name (default: the directory name)'),
});

export const scopeConfigSchema = z.object({
  skipCommitFiles: z
    .boolean()
    .default(false)
    .describe('Skip per-file changes (commit_files) and line counts; much faster on huge histories'),
});

/** The git connector's client: the repository of the scope being synced, opened lazily per scope. */
export interface GitClient {
  gitBinary: string;
  open(path: string): GitRepository;
}

export type GitTypes = ConnectorTypesOf<
  typeof connectionSchema,
  typeof scopeSchema,
  typeof scopeConfigSchema,
  GitClient
>;

/**
 * Scopes are keyed by their canonical path: absolute, with every symbolic link resolved, so
 * that `/a/repo` and `/a/link-to-repo` are one scope with one set of rows. A path that cannot
 * be resolved (missing, a link loop) keeps its absolute form; the sync then says what is wrong with it.
 */
export function scopeIdOf(scope: { path: string }): string {
  const absolute = resolve(scope.path);
  try {
    return realpathSync.native(absolute);
  } catch {
    return absolute;
  }
}
