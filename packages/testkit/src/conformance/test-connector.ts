import {
  ConfigError,
  type Connector,
  type DialectName,
  PROVENANCE_COLUMNS,
  runMigrations,
  runTestConnection,
  SDK_MIGRATIONS,
  type SyncResult,
  setStreamCursor,
  toolTableName,
} from '@lake/sdk';
import { createScratchDatabase, type ScratchDatabase } from '@lake/sdk/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type ContextInput, createTestLake, type TestLake } from '../test-lake.js';
import { validateConnectorInfo } from './validate-info.js';

/** A source to sync, made fresh for each scenario (scenarios may change it). */
export interface ConnectorFixture {
  /** A context that works against the source. */
  context: ContextInput;
  /** A connection `test-connection` must reject (a bad token, a missing binary). */
  failingConnection: ContextInput['connection'];
  /** Secret values that must never reach a table or a log. Default: the connection's string values under secret-looking keys. */
  secrets?: string[];
  teardown?(): Promise<void>;
}

export interface ConformanceOptions {
  connector: Connector;
  setup(): Promise<ConnectorFixture>;
  /**
   * For each incremental top-level stream, a saved state that lies in the future of the
   * source: collecting from it must yield nothing.
   */
  futureState(fixture: ConnectorFixture): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Domain tables the fixture legitimately leaves empty (e.g. no deployments). */
  emptyTables?: readonly string[];
  /** Databases to run on; default SQLite. */
  dialects?: readonly DialectName[];
  /** Raw records per transaction in the interruption scenario: small, so interruptions fall between checkpoints. */
  interruptionBatchSize?: number;
}

const VOLATILE_DOMAIN_ID_TABLES = new Set(['commits', 'commit_files', 'repo_commits', 'commit_parents']);

/**
 * The conformance suite: every connector's test file calls it once.
 *
 *   testConnector({
 *     connector: gitConnector,
 *     setup: async () => ({ context: { connection: { id: 1 }, scope: { path: await makeRepository() } }, failingConnection: { id: 1, gitBinary: '/nonexistent' } }),
 *     futureState: async (fixture) => ({ commits: { tips: await tipsOf(fixture) } }),
 *   });
 *
 * It proves: `info` is valid; test-connection succeeds and fails cleanly; every stream
 * yields and converts; re-syncing creates no duplicate; an incremental second sync and a
 * "future" state collect nothing; an interrupted sync, resumed, ends equal to an
 * uninterrupted one; invalid configuration names its fields; secrets stay out of the lake.
 */
export function testConnector(options: ConformanceOptions): void {
  const { connector } = options;
  const dialects = options.dialects ?? ['sqlite'];
  const scratch: ScratchDatabase[] = [];
  const fixtures: ConnectorFixture[] = [];
  const lakes: TestLake[] = [];

  const newFixture = async () => {
    const fixture = await options.setup();
    fixtures.push(fixture);
    return fixture;
  };
  const newLake = async (dialect: DialectName) => {
    const database = await createScratchDatabase(dialect);
    scratch.push(database);
    const lake = await createTestLake({ connector, url: database.url });
    lakes.push(lake);
    return lake;
  };
  const expectSucceeded = (result: SyncResult) => {
    expect(result.error?.message ?? '', `sync of ${connector.name} failed`).toBe('');
    expect(result.status).toBe('succeeded');
  };

  afterAll(async () => {
    await Promise.all(lakes.splice(0).map((lake) => lake.close().catch(() => {})));
    await Promise.all(fixtures.splice(0).map((fixture) => fixture.teardown?.()));
    await Promise.all(scratch.splice(0).map((database) => database.drop()));
  });

  describe(`${connector.name}: conformance`, () => {
    it('info publishes valid schemas that the fixture context satisfies', async () => {
      const fixture = await newFixture();
      expect(validateConnectorInfo(connector, { scopeConfig: {}, ...fixture.context })).toEqual([]);
    });

    it('test-connection succeeds with a good connection and fails cleanly with a bad one', async () => {
      const fixture = await newFixture();
      const good = await runTestConnection({ connector, context: fixture.context });
      expect(good.message.length).toBeGreaterThan(0);
      expect(good.ok, good.message).toBe(true);
      const bad = await runTestConnection({ connector, context: { connection: fixture.failingConnection } });
      expect(bad.ok).toBe(false);
      expect(bad.message.length).toBeGreaterThan(0);
      for (const value of secretValues(fixture)) expect(bad.message).not.toContain(value);
    });

    it('invalid configuration is refused, naming every bad field', async () => {
      const fixture = await newFixture();
      const lake = await newLake('sqlite');
      const context = {
        ...fixture.context,
        connection: { ...fixture.context.connection, id: 'one', unexpectedSetting: true },
        scope: { ...fixture.context.scope, unexpectedScopeField: 1 },
      };
      const failure = await lake.sync(context as never).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConfigError);
      const paths = (failure as ConfigError).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(['connection.id', 'connection', 'scope']));
      expect((failure as ConfigError).message).toContain('unexpectedSetting');
    });

    for (const dialect of dialects) {
      describe(`on ${dialect}`, () => {
        it('migrations create every tool table with exactly the columns its declaration implies', async () => {
          const lake = await newLake(dialect);
          await runMigrations(lake.store, 'sdk', SDK_MIGRATIONS);
          await runMigrations(lake.store, connector.name, connector.migrations);
          const tables = new Map((await lake.store.db.introspection.getTables()).map((table) => [table.name, table]));
          const declared = new Map<string, string[]>();
          for (const stream of connector.orderedStreams) {
            for (const table of stream.tables) {
              const expected = [
                'connection_id',
                ...Object.keys(table.databaseColumns),
                ...Object.keys(PROVENANCE_COLUMNS),
              ];
              declared.set(toolTableName(connector.name, table.entity), expected.sort());
            }
          }
          for (const [name, expected] of declared) {
            const actual = tables
              .get(name)
              ?.columns.map((each) => each.name)
              .sort();
            expect(actual, `tool table ${name} (migrations vs declaration)`).toEqual(expected);
          }
        });

        it('every stream yields and converts into the domain tables it declares', async () => {
          const fixture = await newFixture();
          const lake = await newLake(dialect);
          const result = await lake.sync(fixture.context);
          expectSucceeded(result);
          const empty = new Set(options.emptyTables ?? []);
          for (const stream of connector.orderedStreams) {
            const streamResult = result.streams.find((candidate) => candidate.name === stream.name)!;
            expect(streamResult.records, `stream ${stream.name} collected nothing`).toBeGreaterThan(0);
            const mainTable = toolTableName(connector.name, stream.tables[0]!.entity);
            expect(await lake.count(mainTable), `tool table ${mainTable} (of ${stream.name}) is empty`).toBeGreaterThan(
              0,
            );
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
            if (!Object.hasOwn(tableIdPrefixes, table) || VOLATILE_DOMAIN_ID_TABLES.has(table)) continue;
            const rows = await lake.rows(table);
            for (const row of rows)
              expect(String(row.id)).toMatch(new RegExp(`^${connector.name}:[A-Z][A-Za-z]+:\\d+:`));
          }
        });

        it('re-syncing creates no duplicate and an incremental second sync collects nothing old', async () => {
          const fixture = await newFixture();
          const lake = await newLake(dialect);
          expectSucceeded(await lake.sync(fixture.context));
          const first = await lake.snapshot();
          const second = await lake.sync(fixture.context, {});
          if (second.status !== 'skipped') {
            expectSucceeded(second);
            for (const stream of connector.orderedStreams) {
              if (!stream.incremental) continue;
              const streamResult = second.streams.find((candidate) => candidate.name === stream.name)!;
              expect(streamResult.records, `incremental stream ${stream.name} collected old records again`).toBe(0);
            }
          }
          expect(await lake.snapshot()).toEqual(first);
          // A run that cannot be skipped (an explicit stream list) must leave the lake unchanged too.
          const forced = await lake.sync(fixture.context, {
            streams: connector.orderedStreams.map((stream) => stream.name),
          });
          expectSucceeded(forced);
          expect(await lake.snapshot()).toEqual(first);
        });

        it('a saved state from the future collects nothing', async () => {
          const fixture = await newFixture();
          const lake = await newLake(dialect);
          const future = await options.futureState(fixture);
          const incremental = connector.orderedStreams.filter(
            (stream) => stream.incremental && stream.kind === 'stream',
          );
          expect(Object.keys(future).sort()).toEqual(incremental.map((stream) => stream.name).sort());
          // Create the tables first, then plant the future state.
          await runMigrations(lake.store, 'sdk', SDK_MIGRATIONS);
          await runMigrations(lake.store, connector.name, connector.migrations);
          const scopeId = connector.scope.id(lake.connector.scope.schema.parse(fixture.context.scope) as never);
          for (const [stream, cursor] of Object.entries(future)) {
            await setStreamCursor(
              lake.store,
              {
                connector: connector.name,
                connectionId: fixture.context.connection.id,
                scopeId,
                stream,
              },
              cursor,
            );
          }
          const result = await lake.sync(fixture.context, { streams: Object.keys(future) });
          expectSucceeded(result);
          for (const stream of result.streams)
            expect(stream.records, `stream ${stream.name} collected from a future state`).toBe(0);
        });

        it('an interrupted sync, resumed, ends equal to an uninterrupted one', async () => {
          const batchSize = options.interruptionBatchSize ?? 7;
          const fixture = await newFixture();
          const context = { ...fixture.context, options: { ...fixture.context.options, batchSize } };
          const clean = await newLake(dialect);
          let commits = 0;
          expectSucceeded(
            await clean.sync(context, {
              onEvent: (event) => {
                if (event.type === 'stream-progress') commits += 1;
              },
            }),
          );
          const expected = await clean.snapshot();
          expect(commits, 'the fixture is too small to interrupt between commits').toBeGreaterThanOrEqual(3);
          const points = [...new Set([1, Math.floor(commits / 2), commits - 1])].filter((point) => point > 0);
          for (const point of points) {
            const lake = await newLake(dialect);
            const controller = new AbortController();
            let seen = 0;
            const interrupted = await lake.sync(context, {
              signal: controller.signal,
              onEvent: (event) => {
                if (event.type === 'stream-progress' && ++seen === point)
                  controller.abort(new Error('test interruption'));
              },
            });
            expect(interrupted.status, `interruption after commit ${point}`).toBe('aborted');
            expectSucceeded(await lake.sync(context));
            expect(await lake.snapshot(), `resumed after commit ${point} of ${commits}`).toEqual(expected);
          }
        });

        it('keeps secrets out of every table and every log line', async () => {
          const fixture = await newFixture();
          const lake = await newLake(dialect);
          const logs: unknown[] = [];
          expectSucceeded(
            await lake.sync(fixture.context, { logLevel: 'debug', logSink: (entry) => logs.push(entry) }),
          );
          const everything = JSON.stringify({
            snapshot: await lake.snapshot(),
            logs,
            runs: await lake.rows('_lake_runs'),
          });
          for (const value of secretValues(fixture)) expect(everything).not.toContain(value);
        });
      });
    }
  });
}

/** Domain tables whose `id` follows `<connector>:<Struct>:<connectionId>:…`. */
const tableIdPrefixes = Object.fromEntries(
  [
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
  ].map((table) => [table, true]),
);

function secretValues(fixture: ConnectorFixture): string[] {
  if (fixture.secrets) return fixture.secrets;
  return Object.entries(fixture.context.connection)
    .filter(([name, value]) => typeof value === 'string' && /(token|secret|password|key)/i.test(name))
    .map(([, value]) => value as string);
}
