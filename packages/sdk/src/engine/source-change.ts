import type { ScopeContext } from '../contract/context.js';
import type { ChangeCheck, Connector } from '../contract/define-connector.js';
import { messageOf } from '../errors/lake-error.js';
import type { Store } from '../store/store.js';
import { loadState, SCOPE_STATE_STREAM, type StateKey, saveState } from './state-store.js';

/** What `_lake_state` holds for the scope: the source's marker at the last successful sync. */
interface ScopeMarker {
  marker: string;
  syncedAt: string;
}

/**
 * Asks the connector's `changed()` whether the source moved since the last sync. Not knowing
 * is not a reason to skip: a failing check says "changed", and the streams report the problem.
 */
export async function checkSourceChanged(
  connector: Connector,
  store: Store,
  scope: Omit<StateKey, 'stream'>,
  context: ScopeContext<never>,
): Promise<ChangeCheck> {
  const last = await loadState<ScopeMarker>(store, { ...scope, stream: SCOPE_STATE_STREAM });
  return await connector.changed!({
    ...context,
    lastMarker: last?.marker,
    lastSyncedAt: last ? new Date(last.syncedAt) : undefined,
  }).catch((error: unknown) => {
    context.logger.warn(`could not tell whether the source changed: ${messageOf(error)}`);
    return { changed: true, marker: undefined };
  });
}

/** Saves the source's marker after a successful sync. */
export async function saveSourceMarker(store: Store, scope: Omit<StateKey, 'stream'>, marker: string): Promise<void> {
  await saveState(store.writer(), { ...scope, stream: SCOPE_STATE_STREAM }, {
    marker,
    syncedAt: new Date().toISOString(),
  } satisfies ScopeMarker);
}
