import type { Connector, DialectName } from '@lake/sdk';
import type { FakeApi } from '../fake-api/fake-api.js';
import type { ContextInput } from '../test-lake.js';

/** How big a source `setup` should make. */
export interface FixtureOptions {
  /**
   * `small`: a few pages, quick to sync many times (kill sweeps sync it dozens of times).
   * `large`: listings of several pages at the connector's page size (hundreds of records), so
   * that kills land mid-listing and hostile orderings have pages to reorder.
   */
  size: 'small' | 'large';
}

/** A source to sync, made fresh for each scenario (scenarios change it). */
export interface ConnectorFixture {
  /** A context that works against the source. */
  context: ContextInput;
  /** A connection `test-connection` must reject (a bad token, a missing binary). */
  failingConnection: ContextInput['connection'];
  /**
   * Secret values that must never reach a table, a log line or the CLI's output, in clear,
   * URL-encoded or base64. Default: the connection's string values under secret-looking keys.
   */
  secrets?: string[];
  /**
   * How many rows each domain table the connector writes must hold for the source as it is
   * now, counted from the source itself (the fake's dataset, the repository), never from the
   * connector's own code. Every table of `connector.domainTables` must be listed.
   */
  expectedCounts(): Record<string, number> | Promise<Record<string, number>>;
  /**
   * Changes the source the way its users do between two syncs: updates records in place
   * (the oldest ones first, so that a listing by update time moves them from its first page to
   * its last; change the fields people change — titles, states, labels — never ids), and adds
   * some. Deletions belong to `remove`. Called with 1, 2, … for successive rounds; afterwards
   * `expectedCounts` describes the changed source.
   */
  mutate(round: number): void | Promise<void>;
  /** Deletes something from the source (a full sync must then remove its rows). Optional. */
  remove?(): void | Promise<void>;
  /** Makes many records share one value of every key the connector's listings sort by (hostile-server scenarios). */
  makeTies?(): void | Promise<void>;
  /** The fake API serving the source; the hostile-server scenarios distort it. Required unless `hostileServers: false`. */
  api?: FakeApi;
  teardown?(): Promise<void>;
}

export interface ConformanceOptions {
  connector: Connector;
  /**
   * The connector's built CLI (its package's `bin`, e.g. `new URL('../dist/cli.js', import.meta.url)`).
   * The kill sweep and the output checks run it as a child process, as the runtime does.
   */
  cli: string | URL;
  /** Variables the CLI's environment needs besides the test process's own. */
  cliEnvironment?: Readonly<Record<string, string>>;
  setup(options: FixtureOptions): Promise<ConnectorFixture>;
  /**
   * For each incremental top-level stream, a saved state that lies in the future of the
   * source: collecting from it must yield nothing.
   */
  futureState(fixture: ConnectorFixture): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Domain tables the small fixture legitimately leaves empty (e.g. no deployments). */
  emptyTables?: readonly string[];
  /** Databases to run on; default SQLite. */
  dialects?: readonly DialectName[];
  /**
   * The connector's sync writes its source in one commit whatever the source's size (the webhook
   * connector's: the connection itself, one record), so there is no commit to interrupt a sync
   * between. The interruption scenario then checks that a sync commits exactly once. Default false.
   */
  singleCommitSync?: boolean;
  /** Raw records per transaction in interruption and kill scenarios: small, so kills fall between commits. Default 7. */
  interruptionBatchSize?: number;
  /**
   * The hostile-server scenarios need the fixture's `api` (and `makeTies`, unless `ties: false`
   * because the connector's listings sort by nothing that can tie). `false` only for connectors
   * that talk to no server (a local repository). Default `{ ties: true }`.
   */
  hostileServers?: false | { ties?: boolean };
  /**
   * The most a sync of the connector's CLI may reach in peak resident set size, in MB, whatever
   * the source's size. Default 256. Checked on the large fixture, and on `soakSetup`'s with `LAKE_SOAK=1`.
   */
  maxRssMB?: number;
  /**
   * A big source for the memory budget under `LAKE_SOAK=1` (`pnpm soak`), e.g. 100,000 issues:
   * large enough that whatever a connector keeps per record shows. Default: the large fixture.
   */
  soakSetup?(): Promise<ConnectorFixture>;
}

/**
 * How much of the deep sweeps runs: a bounded, seeded sample in CI; everything with `LAKE_SOAK=1`
 * (`pnpm soak`). The CI sample is largest on SQLite; on a database server (where every lake costs
 * seconds of DDL) it keeps the kill points where dialects differ — a migration applied but not
 * recorded, an index created after its table, the first commit — and one double kill, which is
 * a timed kill as well; and of the in-process interruptions, the one after the middle commit.
 */
export interface SweepBudget {
  soak: boolean;
  /** Kill points tried per dialect in the kill sweep (`all` when soaking). */
  killPoints: number | 'all';
  /** SIGKILLs at random moments of a large sync, per dialect. */
  timedKills: number;
  /** Runs killed twice (a timed kill, then a kill point of the resumed run) before the final resume, per dialect. */
  doubleKills: number;
  /** In-process interruptions (abort signal after the first, middle and last-but-one commit): 3, or the middle one. */
  interruptions: 1 | 3;
  seed: number;
}

export function sweepBudget(
  connector: string,
  environment: NodeJS.ProcessEnv = process.env,
  dialect: DialectName = 'sqlite',
): SweepBudget {
  const soak = environment.LAKE_SOAK === '1' || environment.LAKE_SOAK === 'true';
  const seed = Number(environment.LAKE_KILL_SEED) || seedOf(connector);
  if (soak) return { soak, killPoints: 'all', timedKills: 10, doubleKills: 10, interruptions: 3, seed };
  return dialect === 'sqlite'
    ? { soak, killPoints: 5, timedKills: 1, doubleKills: 1, interruptions: 3, seed }
    : { soak, killPoints: 3, timedKills: 0, doubleKills: 1, interruptions: 1, seed };
}

function seedOf(text: string): number {
  let hash = 2166136261;
  for (const character of text) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619) >>> 0;
  return hash;
}
