import { type Interpolated, interpolate, referencesIn } from '../manifest/interpolate.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { SecretStore } from './secret-store.js';

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
  const store = needsStore ? await SecretStore.open(paths, environment) : undefined;
  return interpolate(
    value,
    (reference) => (reference.startsWith('secret:') ? store?.get(reference.slice(7)) : environment[reference]),
    at,
  );
}
