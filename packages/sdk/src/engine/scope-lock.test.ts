import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, createLibraryConnector } from '../__fixtures__/library-connector.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { SDK_MIGRATIONS } from '../migrations/sdk-migrations.js';
import { openStore, type Store } from '../store/store.js';
import { acquireScopeLock } from './scope-lock.js';
import { runSync } from './sync.js';

describe('scope locks', () => {
  let store: Store;
  const key = { connector: 'library', connectionId: 1, scopeId: 'main' };
  beforeAll(async () => {
    store = await openStore('sqlite::memory:');
    await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  });
  afterAll(() => store.close());

  const plantHolder = (holder: { host: string; pid: number; heartbeatAgoMs: number }) => {
    const beat = new Date(Date.now() - holder.heartbeatAgoMs).toISOString();
    return store.db
      .insertInto('_lake_locks')
      .values({
        ...{ connector: key.connector, connection_id: 1, scope_id: key.scopeId },
        owner: 'other',
        host: holder.host,
        pid: holder.pid,
        acquired_at: beat,
        heartbeat_at: beat,
      })
      .execute();
  };

  it('lets one sync hold a scope and refuses a second, naming the holder', async () => {
    const lock = await acquireScopeLock(store, key);
    await expect(acquireScopeLock(store, key)).rejects.toMatchObject({
      code: 'SCOPE_LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    const connector = createLibraryConnector(createLibrary(3));
    await expect(
      runSync({ connector, store, context: { connection: { id: 1, token: 'good-token' }, scope: { shelf: 'main' } } }),
    ).rejects.toMatchObject({ code: 'SCOPE_LOCKED' });
    await lock.release();
    const again = await acquireScopeLock(store, key);
    expect(again.tookOverFromDeadHolder).toBe(false);
    await again.release();
  });

  it('takes over from a holder whose process is gone, or whose heartbeat stopped', async () => {
    await plantHolder({ host: hostname(), pid: 2 ** 22 + 17, heartbeatAgoMs: 0 });
    const fromDeadProcess = await acquireScopeLock(store, key);
    expect(fromDeadProcess.tookOverFromDeadHolder).toBe(true);
    await fromDeadProcess.release();

    await plantHolder({ host: 'elsewhere', pid: 1, heartbeatAgoMs: 10 * 60_000 });
    const fromSilentHost = await acquireScopeLock(store, key);
    expect(fromSilentHost.tookOverFromDeadHolder).toBe(true);
    await fromSilentHost.release();
  });

  it('respects a live holder on another machine', async () => {
    await plantHolder({ host: 'elsewhere', pid: 1, heartbeatAgoMs: 1000 });
    await expect(acquireScopeLock(store, key)).rejects.toMatchObject({
      code: 'SCOPE_LOCKED',
      message: expect.stringContaining('elsewhere pid 1'),
    });
    await store.db.deleteFrom('_lake_locks').execute();
  });
});
