import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryConnector } from '@lake/registry';
import { parse } from 'yaml';
import { RuntimeError } from '../errors.js';
import { npmFailure } from '../install/npm-errors.js';
import { loadPacote } from '../install/npm-libraries.js';
import { fetchManifest, type NpmContext } from '../install/npm-tree.js';
import type { ProjectPaths } from '../project/project-paths.js';

export const REGISTRY_PACKAGE = '@lake/registry';

/** One connector as the integration registry (`@lake/registry`'s registry.yaml) describes it. */
export type CatalogConnector = RegistryConnector;

export interface Catalog {
  /** The @lake/registry version read. */
  version: string;
  connectors: CatalogConnector[];
}

/**
 * The newest published integration registry, fetched from the private registry (integrity
 * checked by pacote) and kept under `.lake/cache/registry-<version>/`, so it describes
 * connectors whether or not they are installed.
 */
export async function loadCatalog(paths: ProjectPaths, npm: NpmContext): Promise<Catalog> {
  const manifest = await fetchManifest(`${REGISTRY_PACKAGE}@latest`, npm);
  const directory = join(paths.lakeDirectory, 'cache', `registry-${manifest.version}`);
  const file = join(directory, 'registry.yaml');
  const cached = await access(file).then(
    () => true,
    () => false,
  );
  if (!cached) {
    const staging = `${directory}.${randomBytes(4).toString('hex')}.tmp`;
    await mkdir(join(paths.lakeDirectory, 'cache'), { recursive: true });
    try {
      await (await loadPacote()).extract(`${REGISTRY_PACKAGE}@${manifest.version}`, staging, {
        ...npm.options,
        integrity: manifest._integrity,
      });
      await rm(directory, { recursive: true, force: true });
      await rename(staging, directory);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw npmFailure(error, `${REGISTRY_PACKAGE}@${manifest.version}`, npm.registry, npm.auth);
    }
  }
  const data = parse(await readFile(file, 'utf8')) as { registryVersion?: number; connectors?: CatalogConnector[] };
  if (data?.registryVersion !== 1 || !Array.isArray(data.connectors)) {
    throw new RuntimeError(
      'REGISTRY_ERROR',
      `${REGISTRY_PACKAGE}@${manifest.version} has registryVersion ${String(data?.registryVersion)}; this runtime reads version 1`,
    );
  }
  return { version: manifest.version, connectors: data.connectors };
}

/** Connectors whose name, package, description, domain types, streams or tables hold every word. */
export function searchCatalog(catalog: Catalog, words: readonly string[]): CatalogConnector[] {
  const wanted = words.map((word) => word.toLowerCase()).filter(Boolean);
  return catalog.connectors.filter((connector) => {
    const haystack = [
      connector.name,
      connector.package,
      connector.description,
      ...connector.domainTypes,
      ...connector.streams.flatMap((stream) => [stream.name, ...stream.toolTables, ...stream.domainTables]),
    ]
      .join(' ')
      .toLowerCase();
    return wanted.every((word) => haystack.includes(word));
  });
}
