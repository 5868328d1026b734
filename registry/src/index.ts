/**
 * @lake/registry — the integration registry as data: `registry.yaml` (schema:
 * `registry.schema.json`), generated from the connectors of the release it ships with.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export interface RegistryStream {
  name: string;
  kind: 'stream' | 'substream';
  incremental: boolean;
  dependsOn: string[];
  toolTables: string[];
  domainTables: string[];
}

export interface RegistryConnector {
  name: string;
  package: string;
  version: string;
  description: string;
  /** `core`: shipped with the runtime; `community` otherwise. */
  support: 'core' | 'community';
  contract: string;
  sdk: string;
  domainTypes: string[];
  docs: string;
  streams: RegistryStream[];
  /** JSON Schemas (draft 2020-12) of connection, scope and scope config; secrets carry `x-lake-secret`. */
  settings: { connection: object; scope: object; scopeConfig: object };
  secretFields: string[];
  dependencies: Array<{ name: string; version: string }>;
  /** What passing test runs exercised: Node versions, and per subject the exact versions. */
  tested: { node: string[]; exercised: Record<string, string[]> };
}

export interface IntegrationRegistry {
  registryVersion: 1;
  connectors: RegistryConnector[];
}

/** Where the data file is, for tools that read it themselves. */
export const REGISTRY_FILE = new URL('../registry.yaml', import.meta.url);

export async function loadRegistry(): Promise<IntegrationRegistry> {
  return parse(await readFile(REGISTRY_FILE, 'utf8')) as IntegrationRegistry;
}
