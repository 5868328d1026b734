import { type DialectName, runMigrations, SDK_MIGRATIONS, type SyncResult, toolTableName } from '@lake/sdk';
import { setStreamCursor, toolTableDrift } from '@lake/sdk/testing';
import { expect, it } from 'vitest';
import { sweepBudget } from './conformance-options.js';
import type { ConformanceResources } from './conformance-resources.js';

/** Domain tables whose `id` is not `<connector>:<Struct>:<connectionId>:…` in DevLake (bare shas, composite keys). */
const UNPREFIXED_ID_TABLES = new Set(['commits', 'commit_files', 'repo_commits', 'commit_parents']);

/** Domain tables whose `id` follows `<connector>:<Struct>:<connectionId>:…`. */
const PREFIXED_ID_TABLES = new Set([
  'accounts',
  'repos',
  'boards',
  'issues',
  'pull_requests',
  'cicd_scopes',
  'cicd_pipelines',
  'cicd_tasks',
  'sprints',
  'issue_comments',
  'pull_request_comments',
  'refs',
]);

/** Fails with the sync's own error message, which says more than its status. */
function expectSucceeded(connector: string, result: SyncResult): void {
  expect(result.error?.message ?? '', `sync of ${connector} failed`).toBe('');
  expect(result.status).toBe('succeeded');
}

/**
 * The in-process scenarios of one dialect: migrations against declarations, every stream
 * yielding and converting, re-syncs, future states, and interruptions by abort signal at
 * commit boundaries (the cheap cousin of the kill sweep, on every dialect).
 */
export function describeSyncScenarios(resources: ConformanceResources, dialect: DialectName): void {
  itMigrationsMatchDeclarations(resources, dialect);
  itEveryStreamConverts(resources, dialect);
  itResyncChangesNothing(resources, dialect);
  itFutureStateCollectsNothing(resources, dialect);
  itInterruptedSyncResumes(resources, dialect);
}

/**
 * Tool tables as the migrations create them match the tables as declared: the same columns,
 * each of the same type and nullability, the same primary key and the declared indexes. Each
 * difference is named (`_tool_x_commits.authored_at: migrated, but not declared`).
 */
function itMigrationsMatchDeclarations(resources: ConformanceResources, dialect: DialectName): void {
  const { options } = resources;
  const { connector } = options;
  it('migrations create every tool table exactly as its declaration says (columns, types, nullability, keys)', async () => {
    const lake = await resources.lake(dialect);
    await runMigrations(lake.store, 'sdk', SDK_MIGRATIONS);
    await runMigrations(lake.store, connector.name, connector.migrations);
    expect(await toolTableDrift(lake.store, connector), 'tool tables: migrations vs declarations').toEqual([]);
  });
}

/** A first sync fills every tool table and every domain table a stream declares. */
function itEveryStreamConverts(resources: ConformanceResources, dialect: DialectName): void {
  const { options } = resources;
  const { connector } = options;
  it('every stream yields and converts into the domain tables it declares', async () => {
    const fixture = await resources.fixture();
    const lake = await resources.lake(dialect);
    const result = await lake.sync(fixture.context);
    expectSucceeded(connector.name, result);
    const empty = new Set(options.emptyTables ?? []);
    for (const stream of connector.orderedStreams) {
      const streamResult = result.streams.find((candidate) => candidate.name === stream.name)!;
      expect(streamResult.records, `stream ${stream.name} collected nothing`).toBeGreaterThan(0);
      const mainTable = toolTableName(connector.name, stream.tables[0]!.entity);
      expect(await lake.count(mainTable), `tool table ${mainTable} (of ${stream.name}) is empty`).toBeGreaterThan(0);
      for (const table of stream.tables) {
        for (const domainTable of table.produces) {
          if (empty.has(domainTable)) continue;
          expect(
            await lake.count(domainTable),
            `domain table ${domainTable} (from ${stream.name}) is empty`,
          ).toBeGreaterThan(0);
        }
      }
    }
    for (const table of connector.domainTables) {
      if (!PREFIXED_ID_TABLES.has(table) || UNPREFIXED_ID_TABLES.has(table)) continue;
      for (const row of await lake.rows(table))
        expect(String(row.id)).toMatch(new RegExp(`^${connector.name}:[A-Z][A-Za-z]+:\\d+:`));
    }
  });
}

/** A second sync, incremental or forced, leaves the lake as the first left it. */
function itResyncChangesNothing(resources: ConformanceResources, dialect: DialectName): void {
  const { options } = resources;
  const { connector } = options;
  it('re-syncing creates no duplicate and an incremental second sync collects nothing old', async () => {
    const fixture = await resources.fixture();
    const lake = await resources.lake(dialect);
    expectSucceeded(connector.name, await lake.sync(fixture.context));
    const first = await lake.snapshot();
    const second = await lake.sync(fixture.context, {});
    if (second.status !== 'skipped') {
      expectSucceeded(connector.name, second);
      for (const stream of connector.orderedStreams) {
        if (!stream.incremental) continue;
        const streamResult = second.streams.find((candidate) => candidate.name === stream.name)!;
        expect(streamResult.records, `incremental stream ${stream.name} collected old records again`).toBe(0);
      }
    }
    expect(await lake.snapshot()).toEqual(first);
    // A run that cannot be skipped (an explicit stream list) must leave the lake unchanged too.
    const forced = await lake.sync(fixture.context, { streams: connector.orderedStreams.map((stream) => stream.name) });
    expectSucceeded(connector.name, forced);
    expect(await lake.snapshot()).toEqual(first);
  });
}

/** A cursor planted in the future makes every incremental stream collect nothing. */
function itFutureStateCollectsNothing(resources: ConformanceResources, dialect: DialectName): void {
  const { options } = resources;
  const { connector } = options;
  it('a saved state from the future collects nothing', async () => {
    const fixture = await resources.fixture();
    const lake = await resources.lake(dialect);
    const future = await options.futureState(fixture);
    const incremental = connector.orderedStreams.filter((stream) => stream.incremental && stream.kind === 'stream');
    expect(Object.keys(future).sort()).toEqual(incremental.map((stream) => stream.name).sort());
    // A connector without incremental streams has no state to plant (and `streams: []` would mean every stream).
    if (incremental.length === 0) return;
    // Create the tables first, then plant the future state.
    await runMigrations(lake.store, 'sdk', SDK_MIGRATIONS);
    await runMigrations(lake.store, connector.name, connector.migrations);
    const scopeId = connector.scope.id(connector.scope.schema.parse(fixture.context.scope) as never);
    for (const [stream, cursor] of Object.entries(future)) {
      await setStreamCursor(
        lake.store,
        { connector: connector.name, connectionId: fixture.context.connection.id, scopeId, stream },
        cursor,
      );
    }
    const result = await lake.sync(fixture.context, { streams: Object.keys(future) });
    expectSucceeded(connector.name, result);
    for (const stream of result.streams)
      expect(stream.records, `stream ${stream.name} collected from a future state`).toBe(0);
  });
}

/** Abort signals at commit boundaries, each resumed, end equal to an uninterrupted sync. */
function itInterruptedSyncResumes(resources: ConformanceResources, dialect: DialectName): void {
  const { options } = resources;
  const { connector } = options;
  it('an interrupted sync (abort signal at a commit), resumed, ends equal to an uninterrupted one', async () => {
    const batchSize = options.interruptionBatchSize ?? 7;
    const fixture = await resources.fixture();
    const context = { ...fixture.context, options: { ...fixture.context.options, batchSize } };
    const clean = await resources.lake(dialect);
    let commits = 0;
    expectSucceeded(
      connector.name,
      await clean.sync(context, {
        onEvent: (event) => {
          if (event.type === 'stream-progress') commits += 1;
        },
      }),
    );
    const expected = await clean.snapshot();
    if (options.singleCommitSync) {
      // Declared one commit: nothing to stop between. Held to it, so a connector that grows must drop the claim.
      expect(commits, 'a singleCommitSync connector committed more than once').toBe(1);
      return;
    }
    expect(commits, 'the fixture is too small to interrupt between commits').toBeGreaterThanOrEqual(3);
    const middle = Math.floor(commits / 2);
    const everyPoint = sweepBudget(connector.name, process.env, dialect).interruptions === 3;
    const points = [...new Set(everyPoint ? [1, middle, commits - 1] : [middle])].filter((point) => point > 0);
    for (const point of points) {
      const lake = await resources.lake(dialect);
      const controller = new AbortController();
      let seen = 0;
      const interrupted = await lake.sync(context, {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'stream-progress' && ++seen === point) controller.abort(new Error('test interruption'));
        },
      });
      expect(interrupted.status, `interruption after commit ${point}`).toBe('aborted');
      expectSucceeded(connector.name, await lake.sync(context));
      expect(await lake.snapshot(), `resumed after commit ${point} of ${commits}`).toEqual(expected);
    }
  });
}
