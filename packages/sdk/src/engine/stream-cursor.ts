import type { Store } from '../store/store.js';
import type { TopLevelState } from './checkpoint-buffer.js';
import { type StateKey, saveState } from './state-store.js';

/**
 * Sets the saved state of a top-level stream, as if a run had completed with `cursor` as its
 * last checkpoint. For tools and tests (the conformance suite's "future state"); a sync
 * never needs it.
 */
export async function setStreamCursor(store: Store, stateKey: StateKey, cursor: unknown): Promise<void> {
  await saveState(store.writer(), stateKey, { version: 1, cursor, skip: 0, run: null } satisfies TopLevelState);
}
