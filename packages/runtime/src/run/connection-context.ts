import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';

/** lake.yaml's path of a connection (`connections[0]`): how sync, check and doctor all name its fields. */
export function connectionPath(index: number): string {
  return `connections[${index}]`;
}

export function scopePath(connectionIndex: number, scopeIndex: number): string {
  return `${connectionPath(connectionIndex)}.scopes[${scopeIndex}]`;
}

export interface ConnectorContext {
  connection: Record<string, unknown> & { id: number };
  scope?: Record<string, unknown>;
  scopeConfig?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

export interface ResolvedContext {
  context: ConnectorContext;
  /** Every value a reference resolved to: secrets, scrubbed from whatever the connector prints. */
  substituted: string[];
}

/**
 * The context a connector process receives for one connection (and one of its scopes), its
 * `${…}` references resolved. A reference that does not resolve is named by its lake.yaml
 * path (`connections[0].settings.token: environment variable GITHUB_TOKEN is not set`).
 */
export async function resolveConnectorContext(
  paths: ProjectPaths,
  environment: NodeJS.ProcessEnv,
  manifest: Manifest,
  connectionIndex: number,
  scopeIndex?: number,
): Promise<ResolvedContext> {
  const connection = manifest.connections[connectionIndex]!;
  const at = connectionPath(connectionIndex);
  const substituted: string[] = [];
  const resolve = async <T>(value: T, path: string): Promise<T> => {
    const resolved = await resolveReferences(paths, environment, value, path);
    substituted.push(...resolved.substituted);
    return resolved.value;
  };
  const context: ConnectorContext = {
    connection: { id: connection.id, ...(await resolve(connection.settings, `${at}.settings`)) },
  };
  if (connection.options) context.options = await resolve(connection.options, `${at}.options`);
  if (scopeIndex !== undefined) {
    const scope = connection.scopes[scopeIndex]!;
    const scopeAt = scopePath(connectionIndex, scopeIndex);
    context.scope = await resolve(scope.scope, `${scopeAt}.scope`);
    context.scopeConfig = await resolve(scope.config, `${scopeAt}.config`);
  }
  return { context, substituted };
}
