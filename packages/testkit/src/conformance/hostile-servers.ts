import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Hostility } from '../fake-api/fake-api.js';
import { testBudget } from '../test-budget.js';
import type { ConnectorFixture } from './conformance-options.js';
import type { ConformanceResources } from './conformance-resources.js';
import { describeRun, readKillPoints, runConnectorCli } from './connector-cli.js';
import { withBatchSize } from './kill-sweep.js';
import { differences, fingerprintLake } from './lake-fingerprint.js';

interface HostileMode {
  name: string;
  /** Prepares the source and returns the hostility to turn on. */
  arm(fixture: ConnectorFixture): Promise<Hostility> | Hostility;
  /** Only for connectors whose listings sort by something records can share. */
  ties?: true;
}

const MODES: readonly HostileMode[] = [
  { name: 'serves listings in a fixed shuffled order', arm: () => ({ order: 'shuffled' }) },
  {
    name: 'serves listings newest first when asked for oldest first (and the reverse)',
    arm: () => ({ order: 'reversed' }),
  },
  { name: 'repeats the last item of each page on the next page', arm: () => ({ duplicateAcrossPages: true }) },
  {
    name: 'changes records while a listing is paged (updated items move to its last page)',
    arm: (fixture) => ({ whilePaging: () => fixture.mutate(1) }),
  },
  {
    name: 'has many records sharing one value of the sort key',
    ties: true,
    arm: async (fixture) => {
      expect(
        fixture.makeTies,
        'the fixture must provide makeTies() (or the options hostileServers: { ties: false })',
      ).toBeTypeOf('function');
      await fixture.makeTies!();
      return {};
    },
  },
  {
    name: 'answers rate limits without Retry-After',
    arm: (fixture) => {
      fixture.api!.fault({
        after: 3,
        times: 3,
        kind: { type: 'rate-limit', status: 429, retryAfterSeconds: 1, message: 'Too Many Requests' },
      });
      return { dropRetryAfter: true };
    },
  },
];

/**
 * Hostile servers: the fixture's fake API breaks, one at a time, the promises a connector might
 * lean on (order, uniqueness, stability while paging, Retry-After). Under each, the real CLI
 * syncs, is SIGKILLed mid-sync, resumes, and syncs once more; the lake must then hold exactly
 * the source (every domain count) and equal a sync of the same source from a well-behaved
 * server, tool and domain tables alike (raw tables record what the server sent, repeats included).
 */
export function describeHostileServers(resources: ConformanceResources): void {
  const { options } = resources;
  const settings = options.hostileServers ?? {};
  if (settings === false) return;
  for (const mode of MODES) {
    if (mode.ties && settings.ties === false) continue;
    it(
      `stays exact when the server ${mode.name}, across a SIGKILL and a resume`,
      async () => {
        const fixture = await resources.fixture({ size: 'large' });
        if (!fixture.api) {
          throw new Error(
            `the fixture has no fake API (api): the hostile-server scenarios need it (hostileServers: false is for connectors that talk to no server)`,
          );
        }
        const context = withBatchSize(fixture.context, (options.interruptionBatchSize ?? 7) * 4);
        const directory = await resources.directory();
        const killAt = await middleCommit(resources, context, directory);

        const database = await resources.database('sqlite');
        fixture.api.setHostility(await mode.arm(fixture));
        const api = fixture.api;
        const cli = (killPoint?: number) =>
          runConnectorCli(resources.command, {
            directory,
            context,
            databaseUrl: database.url,
            ...(killPoint === undefined ? {} : { killAt: killPoint }),
          });
        const killed = await cli(killAt);
        expect(
          !killed.hung && (killed.signal === 'SIGKILL' || killed.code === 0),
          `the hostile sync: ${describeRun(killed)}`,
        ).toBe(true);
        for (const what of ['the resumed sync', 'the next incremental sync']) {
          const run = await cli();
          expect(run.code, `${what}: ${describeRun(run)}`).toBe(0);
        }
        api.setHostility(undefined);
        api.clearFaults();

        const reference = await resources.database('sqlite');
        const clean = await runConnectorCli(resources.command, { directory, context, databaseUrl: reference.url });
        expect(clean.code, `a sync from a well-behaved server: ${describeRun(clean)}`).toBe(0);
        const [expectedStore, actualStore] = await Promise.all([
          resources.open(reference.url),
          resources.open(database.url),
        ]);
        const [expected, actual] = await Promise.all([
          fingerprintLake(expectedStore, options.connector.name, ['tool', 'domain']),
          fingerprintLake(actualStore, options.connector.name, ['tool', 'domain']),
        ]);
        expect(differences(expected, actual), 'compared with a sync from a well-behaved server').toEqual([]);
        const counts = await fixture.expectedCounts();
        const actualCounts: Record<string, number> = {};
        for (const table of Object.keys(counts)) actualCounts[table] = expected.tables[table]?.rows ?? 0;
        expect(actualCounts, 'rows per domain table of the well-behaved sync, against the source').toEqual(counts);
      },
      testBudget(600_000),
    );
  }
}

/** The position of the middle commit of an uninterrupted sync of this fixture (where the hostile sync is killed). */
async function middleCommit(
  resources: ConformanceResources,
  context: ConnectorFixture['context'],
  directory: string,
): Promise<number> {
  const database = await resources.database('sqlite');
  const log = join(directory, 'probe.log');
  const probe = await runConnectorCli(resources.command, {
    directory,
    context,
    databaseUrl: database.url,
    killPointsLog: log,
  });
  expect(probe.code, `an uninterrupted sync of the large fixture: ${describeRun(probe)}`).toBe(0);
  const labels = await readKillPoints(log);
  const commits = labels.flatMap((label, index) => (label === 'transaction: committed' ? [index + 1] : []));
  expect(commits.length, 'the large fixture syncs in too few commits to be killed mid-sync').toBeGreaterThanOrEqual(4);
  return commits[Math.floor(commits.length / 2)]!;
}
