/** The shape of registry/registry.yaml (registry.schema.json says the same for machines). */
export interface IntegrationRegistry {
  registryVersion: 1;
  connectors: ConnectorEntry[];
}

export interface ConnectorEntry {
  name: string;
  package: string;
  version: string;
  description: string;
  /** `core`: shipped with the runtime (packages/runtime/shipped-connectors.json); `community` otherwise. */
  support: 'core' | 'community';
  /** The connector contract range it implements (package.json `lake.contract`). */
  contract: string;
  /** The @lake/sdk range it is published with. */
  sdk: string;
  domainTypes: string[];
  docs: string;
  streams: Array<{
    name: string;
    kind: 'stream' | 'substream';
    incremental: boolean;
    dependsOn: string[];
    toolTables: string[];
    domainTables: string[];
  }>;
  /** JSON Schemas (draft 2020-12) of the settings a user writes; secrets carry `x-lake-secret`. */
  settings: { connection: object; scope: object; scopeConfig: object };
  secretFields: string[];
  /** Third-party dependencies, each pinned exactly. */
  dependencies: Array<{ name: string; version: string }>;
  /** What passing test runs exercised: a list, never a range. */
  tested: { node: string[]; exercised: Record<string, string[]> };
}
