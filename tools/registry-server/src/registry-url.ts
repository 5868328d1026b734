/**
 * The one place the registry's address is decided: `LAKE_REGISTRY_URL`, or the local
 * registry `pnpm registry:start` runs. Every command that talks to the registry (release,
 * add-user, the runtime's defaults) asks here.
 */
export const DEFAULT_PORT = 4873;
export const DEFAULT_REGISTRY_URL = `http://127.0.0.1:${DEFAULT_PORT}/`;

export function registryUrl(environment: NodeJS.ProcessEnv = process.env): string {
  const url = environment.LAKE_REGISTRY_URL ?? DEFAULT_REGISTRY_URL;
  return url.endsWith('/') ? url : `${url}/`;
}

/** `//host:port/path/` — the key npm's config uses for a registry's credentials. */
export function credentialsKey(url: string): string {
  const parsed = new URL(url);
  return `//${parsed.host}${parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`}`;
}
