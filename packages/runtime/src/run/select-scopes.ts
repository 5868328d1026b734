import { RuntimeError } from '../errors.js';
import { type ConnectionEntry, type Manifest, scopeIdOf } from '../manifest/manifest-schema.js';
import type { SyncSelection } from './sync-runner.js';

/** A scope lake.yaml lists, with where it sits there (what the context resolver takes). */
export interface SelectedScope {
  connection: ConnectionEntry;
  connectionIndex: number;
  scopeIndex: number;
  scopeId: string;
}

/**
 * The scopes a sync selection names, in lake.yaml's order; a connection or scope id that is
 * not there is a configuration error listing the ones that are.
 */
export function selectScopes(manifest: Manifest, selection: SyncSelection): SelectedScope[] {
  let connections = manifest.connections.map((connection, index) => ({ connection, index }));
  if (selection.connection !== undefined) {
    connections = connections.filter(({ connection }) => connection.name === selection.connection);
    if (connections.length === 0) {
      throw new RuntimeError(
        'CONNECTION_UNKNOWN',
        `no connection named "${selection.connection}" in lake.yaml (connections: ${manifest.connections.map((c) => c.name).join(', ') || 'none'})`,
      );
    }
  }
  if (selection.connections) {
    const wanted = new Set(selection.connections);
    connections = connections.filter(({ connection }) => wanted.has(connection.name));
  }
  if (connections.length === 0) {
    throw new RuntimeError('CONNECTION_UNKNOWN', 'lake.yaml has no connections to sync (add one under connections:)');
  }
  const selected: SelectedScope[] = [];
  const unmatchedScopes = new Set(selection.scopes ?? []);
  for (const { connection, index } of connections) {
    for (const [scopeIndex, scope] of connection.scopes.entries()) {
      const scopeId = scopeIdOf(scope);
      if (selection.scopes && !selection.scopes.includes(scopeId)) continue;
      unmatchedScopes.delete(scopeId);
      selected.push({ connection, connectionIndex: index, scopeIndex, scopeId });
    }
  }
  if (unmatchedScopes.size > 0) {
    const known = connections.flatMap(({ connection }) =>
      connection.scopes.map((scope) => `${connection.name}: ${scopeIdOf(scope)}`),
    );
    throw new RuntimeError(
      'SCOPE_UNKNOWN',
      `no scope ${[...unmatchedScopes].map((id) => `"${id}"`).join(', ')} in the selected connections (scopes: ${known.join('; ')})`,
    );
  }
  return selected;
}
