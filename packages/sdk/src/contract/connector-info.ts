import { z } from 'zod';
import { COMMANDS } from '../cli/parse-arguments.js';
import type { DomainTableName, DomainType } from '../domain/domain-schema.js';
import { CONTRACT_VERSION } from './contract-version.js';
import type { Connector } from './define-connector.js';

export interface StreamInfo {
  name: string;
  kind: 'stream' | 'substream';
  description: string;
  incremental: boolean;
  dependsOn: string[];
  parent: string | null;
  rawTable: string;
  toolTables: string[];
  domainTables: DomainTableName[];
}

/** What `lake-connector-<name> info` prints: everything a runtime or registry needs to know without running a sync. */
export interface ConnectorInfo {
  name: string;
  version: string;
  description: string;
  contract: { version: string };
  /**
   * The CLI's commands. A runtime checks it for `serve` (a long-lived process taking one sync
   * per request line) before relying on it; an SDK older than the field prints none.
   */
  commands: string[];
  domainTypes: DomainType[];
  streams: StreamInfo[];
  schemas: { connection: object; scope: object; scopeConfig: object };
}

export function rawTableName(connector: string, stream: string): string {
  return `_raw_${connector}_${stream}`;
}

export function toolTableName(connector: string, entity: string): string {
  return `_tool_${connector}_${entity}`;
}

export function connectorInfo(connector: Connector, version: string): ConnectorInfo {
  return {
    name: connector.name,
    version,
    description: connector.description,
    contract: { version: CONTRACT_VERSION },
    commands: [...COMMANDS],
    domainTypes: [...connector.domainTypes],
    streams: connector.orderedStreams.map((stream) => ({
      name: stream.name,
      kind: stream.kind,
      description: stream.description ?? '',
      incremental: stream.incremental ?? false,
      dependsOn: [...(stream.dependsOn ?? [])],
      parent: stream.kind === 'substream' ? stream.parent.stream : null,
      rawTable: rawTableName(connector.name, stream.name),
      toolTables: stream.tables.map((table) => toolTableName(connector.name, table.entity)),
      domainTables: [...new Set(stream.tables.flatMap((table) => table.produces))].sort(),
    })),
    schemas: {
      connection: jsonSchemaOf(connector.connectionWithId),
      scope: jsonSchemaOf(connector.scope.schema),
      scopeConfig: jsonSchemaOf(connector.scopeConfig),
    },
  };
}

/** JSON Schema (draft 2020-12) of what a user writes: input types, defaults shown, secrets marked `writeOnly` + `x-lake-secret`. */
export function jsonSchemaOf(schema: z.ZodType): object {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
}
