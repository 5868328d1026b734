import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import type { NpmContext } from './npm-tree.js';

/** Where `@lake/*` packages come from when lake.yaml names no registry. */
export function defaultRegistryUrl(environment: NodeJS.ProcessEnv = process.env): string {
  const url = environment.LAKE_REGISTRY_URL || 'http://127.0.0.1:4873/';
  return url.endsWith('/') ? url : `${url}/`;
}

/** npm's download cache, shared by every project of this user (content-addressed, verified on read). */
export function defaultCacheDirectory(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.LAKE_CACHE_DIR) return environment.LAKE_CACHE_DIR;
  return join(environment.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lake', 'npm');
}

export interface RegistrySettings {
  url: string;
  upstream: string;
  /** Resolved token (never written anywhere). */
  token: string | undefined;
}

export function registrySettings(
  manifest: Manifest,
  token: string | undefined,
  environment: NodeJS.ProcessEnv = process.env,
): RegistrySettings {
  return {
    url: manifest.registry?.url ?? defaultRegistryUrl(environment),
    upstream: manifest.registry?.upstream ?? 'https://registry.npmjs.org/',
    token,
  };
}

/**
 * Options for pacote and arborist (npm's own fetcher and installer): `@lake/*` from our
 * registry with its token, everything else from the upstream registry, and no install
 * scripts — a connector's dependencies must ship what they need (better-sqlite3 ships
 * prebuilt binaries), as pnpm 10 does by default.
 */
export function npmOptions(
  settings: RegistrySettings,
  cache: string,
  environment: NodeJS.ProcessEnv = process.env,
): Record<string, unknown> {
  const options: Record<string, unknown> = {
    registry: settings.upstream,
    '@lake:registry': settings.url,
    cache,
    ignoreScripts: true,
    audit: false,
    fund: false,
    // Registry metadata is re-read when stale; tarballs come from the cache when their integrity is there.
    preferOnline: false,
    // `--offline` (LAKE_OFFLINE=1): the cache alone, never the network — a package it lacks is
    // an error naming it. `--prefer-offline` (LAKE_PREFER_OFFLINE=1): metadata from the cache
    // whenever it has it, the network for the rest.
    offline: environment.LAKE_OFFLINE === '1',
    preferOffline: environment.LAKE_PREFER_OFFLINE === '1',
    // An unreachable registry fails within a minute, not after npm's five-minute timeout
    // retried four times: one retry, a minute per request at most (a tarball included).
    timeout: 60_000,
    fetchRetries: 1,
    fetchRetryFactor: 2,
    fetchRetryMintimeout: 1_000,
    fetchRetryMaxtimeout: 5_000,
    // Installs only what dependencies need at run time.
    omit: ['dev'],
    // Connectors come as copies, never as symlinks into someone's working tree.
    installLinks: true,
  };
  if (settings.token) {
    const url = new URL(settings.url);
    options[`//${url.host}${url.pathname}:_authToken`] = settings.token;
  }
  return options;
}

/** The npm options and registry of a project, its token resolved (never written anywhere). */
export async function npmContext(
  paths: ProjectPaths,
  manifest: Manifest,
  environment: NodeJS.ProcessEnv,
  cacheDirectory?: string,
): Promise<NpmContext> {
  const tokenReference = manifest.registry?.token;
  const token =
    tokenReference === undefined
      ? undefined
      : (await resolveReferences(paths, environment, tokenReference, 'registry.token')).value;
  const settings = registrySettings(manifest, token, environment);
  return {
    options: npmOptions(settings, cacheDirectory ?? defaultCacheDirectory(environment), environment),
    registry: settings.url,
    auth: { tokenSet: Boolean(token), ...(tokenReference === undefined ? {} : { tokenReference }) },
  };
}
