import { type DialectName, openStore, type Store } from '@lake/sdk';
import { createScratchDatabase, type ScratchDatabase } from '@lake/sdk/testing';
import { afterEach, beforeEach } from 'vitest';
import { migrateLake } from './lake-rows.js';

/**
 * A migrated scratch database of `dialect` for each test of the calling `describe`, dropped
 * after it: `const lake = useScratchLake(dialect); … lake.store`.
 */
export function useScratchLake(dialect: DialectName): { readonly store: Store } {
  let scratch: ScratchDatabase | undefined;
  let store: Store | undefined;
  beforeEach(async () => {
    scratch = await createScratchDatabase(dialect);
    store = await openStore(scratch.url);
    await migrateLake(store);
  });
  afterEach(async () => {
    await store?.close();
    await scratch?.drop();
  });
  return {
    get store(): Store {
      if (!store) throw new Error('the scratch lake exists only inside a test');
      return store;
    },
  };
}
