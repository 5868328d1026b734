import { ConfigError, runTestConnection } from '@lake/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './conformance-options.js';
import { ConformanceResources } from './conformance-resources.js';
import { describeCountsAndIdentity } from './counts-and-identity.js';
import { describeHostileServers } from './hostile-servers.js';
import { describeKillSweep } from './kill-sweep.js';
import { describeMemoryBudget } from './memory-budget.js';
import { describeSecretChannels, secretValues } from './secret-channels.js';
import { findSecrets } from './secret-forms.js';
import { describeSyncScenarios } from './sync-scenarios.js';
import { validateConnectorInfo } from './validate-info.js';

/**
 * The conformance suite: every connector's test file calls it once.
 *
 *   testConnector({
 *     connector: githubConnector,
 *     cli: new URL('../dist/cli.js', import.meta.url),
 *     dialects: testDialects(),
 *     setup: async ({ size }) => githubConformanceFixture(size),
 *     futureState: () => ({ issues: { since: '2999-01-01T00:00:00Z' } }),
 *   });
 *
 * It is written to be hard to fool, because a fake written by the same hands as the connector
 * shares its assumptions. Besides the contract (valid `info`, test-connection, invalid
 * configuration naming its fields, migrations matching declarations, incremental re-syncs
 * collecting nothing, future states) it checks:
 * - counts and identity: every domain table holds exactly as many rows as the source says,
 *   after a sync, a re-sync, and each change of the source, and equals a fresh sync of it;
 * - real kills: the connector's CLI SIGKILLed at its kill points (DDL, commits, migrations)
 *   and at random moments, on every dialect, resumes to what an uninterrupted sync writes,
 *   schema included (`LAKE_SOAK=1` tries every kill point);
 * - hostile servers: reordered, repeated and shifting listings, missing Retry-After;
 * - secrets in every channel: tables, log lines, what connector code prints, and everything
 *   the CLI writes, in clear, URL-encoded or base64;
 * - a memory budget: the CLI's peak RSS during a sync stays within `maxRssMB` (default 256 MB),
 *   on a big dataset with `LAKE_SOAK=1`, so that a connector whose memory grows with the source fails.
 */
export function testConnector(options: ConformanceOptions): void {
  const resources = new ConformanceResources(options);
  const { connector } = options;
  const dialects = options.dialects ?? ['sqlite'];

  afterAll(() => resources.dispose());

  describe(`${connector.name}: conformance`, () => {
    it('info publishes valid schemas that the fixture context satisfies', async () => {
      const fixture = await resources.fixture();
      expect(validateConnectorInfo(connector, { scopeConfig: {}, ...fixture.context })).toEqual([]);
    });

    it('test-connection succeeds with a good connection and fails cleanly with a bad one', async () => {
      const fixture = await resources.fixture();
      const good = await runTestConnection({ connector, context: fixture.context });
      expect(good.message.length).toBeGreaterThan(0);
      expect(good.ok, good.message).toBe(true);
      const bad = await runTestConnection({ connector, context: { connection: fixture.failingConnection } });
      expect(bad.ok).toBe(false);
      expect(bad.message.length).toBeGreaterThan(0);
      expect(findSecrets(bad.message, secretValues(fixture))).toEqual([]);
    });

    it('invalid configuration is refused, naming every bad field', async () => {
      const fixture = await resources.fixture();
      const lake = await resources.lake('sqlite');
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
        describeSyncScenarios(resources, dialect);
        describeCountsAndIdentity(resources, dialect);
        describeSecretChannels(resources, dialect);
        describeKillSweep(resources, dialect);
      });
    }

    describe('within its memory budget (on sqlite)', () => {
      describeMemoryBudget(resources);
    });

    if (options.hostileServers !== false) {
      describe('against hostile servers (on sqlite)', () => {
        describeHostileServers(resources);
      });
    }
  });
}
