import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { DialectName } from '../store/dialects/registry.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

/**
 * The SDK's own tests: a store on a scratch database of `dialect` for the calling `describe`,
 * opened before its tests (before each test with `each`) and closed and dropped after them.
 *
 *   const scratch = useScratchStore(dialect);
 *   it('…', async () => { await runMigrations(scratch.store, 'sdk', SDK_MIGRATIONS); });
 */
export function useScratchStore(
  dialect: DialectName,
  options: { each?: boolean } = {},
): { readonly store: Store; readonly database: ScratchDatabase } {
  let database: ScratchDatabase | undefined;
  let store: Store | undefined;
  const [before, after] = options.each ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    database = await createScratchDatabase(dialect);
    store = await openStore(database.url);
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });
  return {
    get store(): Store {
      if (!store) throw new Error('the scratch store exists only inside the describe that asked for it');
      return store;
    },
    get database(): ScratchDatabase {
      if (!database) throw new Error('the scratch database exists only inside the describe that asked for it');
      return database;
    },
  };
}
