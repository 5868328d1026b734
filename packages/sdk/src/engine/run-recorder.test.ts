import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeError } from '../errors/lake-error.js';
import { runMigrations } from '../migrations/run-migrations.js';
import { SDK_MIGRATIONS } from '../migrations/sdk-migrations.js';
import { Redactor } from '../secrets/redactor.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/scratch-database.js';
import { RunRecorder } from './run-recorder.js';

describe('RunRecorder', () => {
  let database: ScratchDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await createScratchDatabase('sqlite');
    store = await openStore(database.url);
    await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const recorder = () =>
    new RunRecorder(
      store,
      { syncId: 'sync-1', connector: 'notes', connectorVersion: '1.0.0', connectionId: 1, scopeId: 'one' },
      new Redactor(['tok-secret-123']),
    );
  const errorOf = async (id: string) =>
    String(
      (await store.db.selectFrom('_lake_runs').select('error').where('id', '=', id).executeTakeFirstOrThrow()).error,
    );

  it("keeps a failure's stable code in front of its message, with secrets redacted", async () => {
    const run = recorder();
    const id = await run.start('issues', false);
    await run.finish(id, 'failed', 0, new LakeError('HTTP_UNAUTHORIZED', 'token tok-secret-123 was refused'));
    const error = await errorOf(id);
    expect(error).toMatch(/^HTTP_UNAUTHORIZED: \[lake\] token \[redacted\] was refused$/);
    expect(error).not.toContain('tok-secret-123');
  });

  it('writes a message that already starts with its code, or has none, as it is', async () => {
    const run = recorder();
    const coded = await run.recordEnded(
      '*',
      false,
      'failed',
      new Date(),
      Object.assign(new Error('CONNECTOR_CRASHED: exited with 1'), { code: 'CONNECTOR_CRASHED' }),
    );
    expect(await errorOf(coded)).toBe('CONNECTOR_CRASHED: exited with 1');
    const plain = await run.recordEnded('*', false, 'failed', new Date(), new Error('the connector exited with 1'));
    expect(await errorOf(plain)).toBe('the connector exited with 1');
    const lowercase = await run.recordEnded(
      '*',
      false,
      'failed',
      new Date(),
      Object.assign(new Error('refused'), { code: 'econnrefused' }),
    );
    expect(await errorOf(lowercase)).toBe('refused');
  });
});
