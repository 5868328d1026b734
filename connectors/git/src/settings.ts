import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type ConnectorTypesOf, secret, z } from '@lake/sdk';
import type { GitRepository } from './git/git-repository.js';
import { isRemoteUrl, remoteOf } from './git/remote-url.js';

export const connectionSchema = z.object({
  gitBinary: z.string().min(1).default('git').describe('The git executable to run (default: git on PATH)'),
  root: z
    .string()
    .min(1)
    .optional()
    .describe('Directory whose repositories `remote-scopes` lists (default: the current directory)'),
  username: z
    .string()
    .min(1)
    .optional()
    .describe(
      'User name for HTTP(S) remotes of `url` scopes (default with a password or token: x-access-token, which GitHub and GitLab accept with a token)',
    ),
  password: secret()
    .optional()
    .describe(
      'Password for HTTP(S) remotes of `url` scopes, sent as Basic auth with `username`; a secret reference in lake.yaml',
    ),
  token: secret()
    .optional()
    .describe(
      'Access token for HTTP(S) remotes of `url` scopes (used like a password); a secret reference in lake.yaml',
    ),
  cacheDir: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Where `url` scopes keep their bare mirrors, one per remote (default: $LAKE_CACHE_DIR/git, else $XDG_CACHE_HOME/lake/git or ~/.cache/lake/git)',
    ),
  pingUrl: z
    .string()
    .min(1)
    .refine(isRemoteUrl, 'must be an https://, http://, ssh://, git@host:path or file:// URL')
    .optional()
    .describe(
      'A remote `test-connection` reaches with `git ls-remote` and the credentials (default: only git is checked)',
    ),
});

/** DevLake's domain ids: `<plugin>:<ToolStruct>:<connection id>:<key>`, e.g. `github:GithubRepo:1:123456`. */
const DOMAIN_ID = /^[a-z][a-z0-9_]*:[A-Z][A-Za-z0-9]*:[1-9][0-9]*:\S+$/;
/** Scope ids are at most 200 characters (the SDK's contract). */
const SCOPE_ID_LENGTH = 200;
/** `repos.id` is varchar(255), and refs ids (`<repos.id>:<ref name>`) need room after it. */
const DOMAIN_ID_LENGTH = 200;

export const scopeSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Path of a local repository (its work tree or a bare repository); give either path or url'),
    url: z
      .string()
      .min(1)
      .refine(isRemoteUrl, 'must be an https://, http://, ssh://, git@host:path or file:// URL')
      .refine(
        (url) => remoteOf(url).canonicalUrl.length <= SCOPE_ID_LENGTH,
        `must be at most ${SCOPE_ID_LENGTH} characters without its credentials (it is the scope's id)`,
      )
      .optional()
      .describe(
        'URL of a remote repository, mirrored into the cache directory and fetched at each sync; give either path or url. Credentials in it are used, never stored',
      ),
    name: z.string().min(1).optional().describe('Display name (default: the directory or the URL’s last part)'),
    repoId: z
      .string()
      .max(DOMAIN_ID_LENGTH)
      .regex(DOMAIN_ID, 'must be a domain id such as github:GithubRepo:1:123456 (<plugin>:<Struct>:<connection>:<key>)')
      .optional()
      .describe(
        'Domain id to write the repository under (repos.id, repo_commits.repo_id, refs), e.g. the GitHub scope’s github:GithubRepo:<connection id>:<repository id> (default: git:GitRepo:<connection id>:<path or url>)',
      ),
    branch: z
      .string()
      .min(1)
      .optional()
      .describe('The branch marked as the default one in refs and the summary (default: the repository’s HEAD)'),
  })
  .superRefine((scope, context) => {
    if (scope.path !== undefined && scope.url !== undefined)
      context.addIssue({ code: 'custom', path: ['url'], message: 'give either path or url, not both' });
    if (scope.path === undefined && scope.url === undefined)
      context.addIssue({
        code: 'custom',
        path: ['path'],
        message: 'give path (a local repository) or url (a remote one)',
      });
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
  /** The scope's repository: a local one as it is, a remote one fetched into its mirror first (once per sync). */
  repositoryOf(scope: GitScope, scopeId: string): Promise<GitRepository>;
}

export type GitTypes = ConnectorTypesOf<
  typeof connectionSchema,
  typeof scopeSchema,
  typeof scopeConfigSchema,
  GitClient
>;

export type GitScope = GitTypes['scope'];

/**
 * Scopes are keyed by what they name. A `path` by its canonical form: absolute, with every
 * symbolic link resolved, so that `/a/repo` and `/a/link-to-repo` are one scope with one set of
 * rows (a path that cannot be resolved keeps its absolute form; the sync then says what is
 * wrong with it). A `url` by the URL without credentials, so that a token change is the same scope.
 */
export function scopeIdOf(scope: { path?: string | undefined; url?: string | undefined }): string {
  if (scope.url !== undefined) return remoteOf(scope.url).canonicalUrl;
  const absolute = resolve(scope.path ?? '.');
  try {
    return realpathSync.native(absolute);
  } catch {
    return absolute;
  }
}

/** The domain id the scope's rows are written under: its `repoId`, else `git:GitRepo:<connection>:<scope id>`. */
export function repoDomainIdOf(context: {
  scope: { repoId?: string | undefined };
  scopeId: string;
  ids: { of(struct: string, ...keys: string[]): string };
}): string {
  return context.scope.repoId ?? context.ids.of('GitRepo', context.scopeId);
}

/** A scope's display name: its `name`, else the directory's name or the URL's last part without `.git`. */
export function scopeNameOf(scope: GitScope): string {
  if (scope.name !== undefined) return scope.name;
  const id = scopeIdOf(scope);
  if (scope.url === undefined) return basename(id);
  return (
    id
      .split(/[/:]/)
      .filter(Boolean)
      .at(-1)
      ?.replace(/\.git$/, '') || id
  );
}
