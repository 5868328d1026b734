import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, createLibraryConnector } from '../__fixtures__/library-connector.js';
import type { LogEntry } from '../logging/logger.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import { countRows, snapshotLake } from '../testing/snapshot-lake.js';
import { runSync, type SyncRequest } from './sync.js';

const context = (shelf = 'main') => ({
  connection: { id: 1, token: 'good-token-1234', pageSize: 10 },
  scope: { shelf },
  scopeConfig: {},
});

async function count(store: Store, table: string): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((builder) => builder.fn.countAll().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe.each(testDialects())('sync engine on %s', (dialect) => {
  let database: ScratchDatabase;
  let databases: ScratchDatabase[] = [];
  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
    databases.push(database);
  });
  afterAll(async () => {
    await Promise.all(databases.map((each) => each.drop()));
    databases = [];
  });

  /** A fresh database, library and connector for one scenario. */
  async function setup(bookCount = 45) {
    const scratch = await createScratchDatabase(dialect);
    databases.push(scratch);
    const store = await openStore(scratch.url);
    const library = createLibrary(bookCount);
    const connector = createLibraryConnector(library);
    const sync = (overrides: Partial<SyncRequest> = {}) =>
      runSync({ connector, store, context: context(), ...overrides });
    return { store, library, connector, sync };
  }

  it('writes all three layers, then re-syncs without duplicates and collects nothing old', async () => {
    const { store, library, sync } = await setup();
    const first = await sync();
    expect(first.status).toBe('succeeded');
    // What a runtime maps to its projects: the connector's domainScopes for this scope.
    expect(first.domainScopes).toEqual([{ table: 'boards', id: `library:LibraryShelf:1:${first.scopeId}` }]);
    expect(first.streams.map((stream) => [stream.name, stream.records])).toEqual([
      ['books', 45],
      ['loans', 90],
      ['authors', 7],
    ]);
    expect(await count(store, '_raw_library_books')).toBe(45);
    expect(await count(store, '_tool_library_books')).toBe(45);
    expect(await count(store, 'issues')).toBe(45);
    expect(await count(store, 'issue_assignees')).toBe(90);
    expect(await count(store, 'accounts')).toBe(7);
    const before = await snapshotLake(store, 'library');

    const requests = library.requests;
    const second = await sync();
    expect(second.status).toBe('succeeded');
    expect(second.domainScopes).toEqual(first.domainScopes);
    expect(second.streams.map((stream) => [stream.name, stream.records])).toEqual([
      ['books', 0],
      ['loans', 0],
      ['authors', 7],
    ]);
    // Books were asked once (an empty result), no loans were asked for.
    expect(library.requests - requests).toBe(0);
    expect(countRows(await snapshotLake(store, 'library'))).toEqual(countRows(before));
    await store.close();
  });

  it('collects only what changed, including the substream of changed parents', async () => {
    const { store, library, sync } = await setup(20);
    await sync();
    const book = library.books[4]!;
    book.title = 'Book renamed';
    book.updatedAt = '2025-06-01T00:00:00.000Z';
    library.loans.push({ id: 9999, bookId: book.id, reader: 'new-reader' });
    const result = await sync();
    expect(result.streams.map((stream) => [stream.name, stream.records])).toEqual([
      ['books', 1],
      ['loans', 3],
      ['authors', 7],
    ]);
    const issue = await store.db
      .selectFrom('issues')
      .selectAll()
      .where('id', '=', 'library:LibraryBook:1:5')
      .executeTakeFirst();
    expect(issue?.title).toBe('Book renamed');
    expect(await count(store, 'issue_assignees')).toBe(41);
    await store.close();
  });

  it('a full sync removes rows the source no longer returns, and only for that scope', async () => {
    const scratch = await createScratchDatabase(dialect);
    databases.push(scratch);
    const store = await openStore(scratch.url);
    const library = createLibrary(12);
    const connector = createLibraryConnector({ main: library, other: createLibrary(12, 2, 1000) });
    await runSync({ connector, store, context: context('main') });
    await runSync({ connector, store, context: context('other') });
    expect(await count(store, '_tool_library_books')).toBe(24);
    library.books.splice(0, 2);
    library.loans = library.loans.filter((loan) => loan.bookId > 2);
    const result = await runSync({ connector, store, context: context('main'), full: true });
    expect(result.status).toBe('succeeded');
    expect(result.streams[0]!.full).toBe(true);
    expect(result.streams[0]!.removed).toBeGreaterThan(0);
    const byParams = await store.db
      .selectFrom('_tool_library_books')
      .select(['_raw_data_params', (builder) => builder.fn.countAll().as('count')])
      .groupBy('_raw_data_params')
      .orderBy('_raw_data_params')
      .execute();
    expect(byParams.map((row) => [row._raw_data_params, Number(row.count)])).toEqual([
      ['{"ConnectionId":1,"Shelf":"main"}', 10],
      ['{"ConnectionId":1,"Shelf":"other"}', 12],
    ]);
    expect(await count(store, '_raw_library_books')).toBe(22);
    expect(await count(store, 'issues')).toBe(22);
    expect(await count(store, 'issue_assignees')).toBe(44);
    const loans = await store.db
      .selectFrom('_tool_library_loans')
      .select((builder) => builder.fn.countAll().as('count'))
      .where('_raw_data_params', '=', '{"ConnectionId":1,"Shelf":"main"}')
      .executeTakeFirstOrThrow();
    expect(Number(loans.count)).toBe(20);
    await store.close();
  });

  it('a failed page commits nothing of itself, and the next sync resumes to the same result as a clean one', async () => {
    const clean = await setup(45);
    await clean.sync();
    const expected = await snapshotLake(clean.store, 'library');
    await clean.store.close();

    const { store, library, sync } = await setup(45);
    library.failPages.set(2, 1);
    const failed = await sync();
    expect(failed.status).toBe('failed');
    expect(failed.error?.message).toContain('page 2 failed');
    expect(failed.error?.message).not.toContain('good-token-1234');
    expect(failed.streams.map((stream) => stream.status)).toEqual(['failed', 'not-run', 'not-run']);
    expect(await count(store, '_raw_library_books')).toBe(20);

    const resumed = await sync();
    expect(resumed.status).toBe('succeeded');
    expect(resumed.streams[0]!.resumed).toBe(true);
    expect(resumed.streams[0]!.records).toBe(25);
    expect(await snapshotLake(store, 'library')).toEqual(expected);
    await store.close();
  });

  it('an interrupted sync (abort between checkpoints, batches smaller than pages) resumes without duplicates', async () => {
    const options = { batchSize: 3, concurrency: 3 };
    const clean = await setup(45);
    const progress: Record<string, number> = {};
    await clean.sync({
      context: { ...context(), options },
      onEvent: (event) => {
        if (event.type === 'stream-progress') progress[event.stream] = (progress[event.stream] ?? 0) + 1;
      },
    });
    const expected = await snapshotLake(clean.store, 'library');
    await clean.store.close();
    // How often each stream commits depends on timing (a substream commits whatever its parents
    // queued meanwhile, a checkpoint a second after the last commit cuts a batch), so the stops
    // are counted per stream, at points every run reaches: batches of 3 give the 45 books at
    // least 15 commits and the 7 authors at least 3; the loans of 45 books take more than one.
    expect(progress.books).toBeGreaterThanOrEqual(15);
    expect(progress.loans).toBeGreaterThanOrEqual(2);
    expect(progress.authors).toBeGreaterThanOrEqual(3);

    // Interrupt inside books (between checkpoints), inside the loans substream, and near the end.
    for (const [stream, stopAfter] of [
      ['books', 7],
      ['loans', 1],
      ['authors', 2],
    ] as const) {
      const { store, sync } = await setup(45);
      const controller = new AbortController();
      let seen = 0;
      const interrupted = await sync({
        context: { ...context(), options },
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'stream-progress' && event.stream === stream && ++seen === stopAfter) controller.abort();
        },
      });
      expect(interrupted.status, `stopped after ${stream} commit ${stopAfter}`).toBe('aborted');
      const resumed = await sync({ context: { ...context(), options } });
      expect(resumed.status).toBe('succeeded');
      expect(await snapshotLake(store, 'library')).toEqual(expected);
      await store.close();
    }
  });

  it('records each stream run in _lake_runs', async () => {
    const { store, sync } = await setup(5);
    const result = await sync({ connectorVersion: '1.2.3' });
    const runs = await store.db.selectFrom('_lake_runs').selectAll().where('sync_id', '=', result.syncId).execute();
    expect(runs.map((run) => [run.stream, run.status, Number(run.records), run.connector_version]).sort()).toEqual([
      ['authors', 'succeeded', 5, '1.2.3'],
      ['books', 'succeeded', 5, '1.2.3'],
      ['loans', 'succeeded', 10, '1.2.3'],
    ]);
    await store.close();
  });

  it('keeps secrets out of raw tables, logs and errors', async () => {
    const { store, library, sync } = await setup(12);
    library.failPages.set(1, 1);
    const logs: LogEntry[] = [];
    const result = await sync({ logSink: (entry) => logs.push(entry), logLevel: 'debug' });
    expect(result.status).toBe('failed');
    await sync();
    const raw = await store.db.selectFrom('_raw_library_books').selectAll().execute();
    expect(raw.length).toBe(12);
    const everything = JSON.stringify({
      raw,
      logs,
      error: result.error?.message,
      runs: await store.db.selectFrom('_lake_runs').selectAll().execute(),
    });
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain('good-token-1234');
    await store.close();
  });
});
