import { type Interpolated, interpolate, referencesIn } from '../manifest/interpolate.js';
import type { ProjectPaths } from '../project/project-paths.js';

/**
 * `interpolate` with the project's resolvers: environment variables, and the encrypted
 * secret store (opened only when a `${secret:…}` reference is there).
 */
export async function resolveReferences<T>(
  paths: ProjectPaths,
  environment: NodeJS.ProcessEnv,
  value: T,
  at: string,
): Promise<Interpolated<T>> {
  const needsStore = referencesIn(value).some((reference) => reference.startsWith('secret:'));
  // Loaded only then: it brings the SDK's encryption (and node:crypto) with it.
  const store = needsStore ? await (await import('./secret-store.js')).SecretStore.open(paths, environment) : undefined;
  return interpolate(
    value,
    (reference) => (reference.startsWith('secret:') ? store?.get(reference.slice(7)) : environment[reference]),
    at,
  );
}
