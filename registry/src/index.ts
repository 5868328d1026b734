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

/** A metric package: computes tables from what connectors wrote, for each project (`lake sync` runs it). */
export interface RegistryMetric {
  kind: 'metric';
  name: string;
  package: string;
  version: string;
  description: string;
  /** `core`: shipped with the runtime; `community` otherwise. */
  support: 'core' | 'community';
  contract: string;
  sdk: string;
  docs: string;
  /** The steps its `run` runs, in order. */
  steps: string[];
  dependencies: Array<{ name: string; version: string }>;
}

export interface IntegrationRegistry {
  registryVersion: 1;
  connectors: RegistryConnector[];
  /** Metric packages; absent in registries generated before they existed. */
  metrics?: RegistryMetric[];
}

/** Where the data file is, for tools that read it themselves. */
export const REGISTRY_FILE = new URL('../registry.yaml', import.meta.url);

export async function loadRegistry(): Promise<IntegrationRegistry> {
  return parse(await readFile(REGISTRY_FILE, 'utf8')) as IntegrationRegistry;
}
