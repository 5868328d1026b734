import { expect, it } from 'vitest';
import { testBudget } from '../test-budget.js';
import { sweepBudget } from './conformance-options.js';
import type { ConformanceResources } from './conformance-resources.js';
import { type CliRun, describeRun, runConnectorCli } from './connector-cli.js';

/** A sync's peak RSS budget when the connector names none: what Lake promises for any dataset size. */
export const DEFAULT_MAX_RSS_MB = 256;

/**
 * The memory budget: the connector's real CLI syncs a source into SQLite (the database in the
 * same process, the worst case) and its peak resident set size, as the process reports it in
 * its `result` line, must stay within the connector's budget (`maxRssMB`, default 256 MB). A
 * connector that keeps what it read (every record, every page, a cache per request) grows with
 * the source and is caught here. CI syncs the large fixture; `LAKE_SOAK=1` (`pnpm soak`) syncs
 * the connector's soak fixture (a big dataset; the large fixture when it has none).
 */
export function describeMemoryBudget(resources: ConformanceResources): void {
  const { options } = resources;
  const maxRssMB = options.maxRssMB ?? DEFAULT_MAX_RSS_MB;
  const soak = sweepBudget(options.connector.name).soak && options.soakSetup !== undefined;

  it(
    `a sync of the ${soak ? 'soak' : 'large'} fixture stays within the memory budget (peak RSS ≤ ${maxRssMB} MB)`,
    async () => {
      const fixture = soak ? await resources.soakFixture() : await resources.fixture({ size: 'large' });
      const database = await resources.database('sqlite');
      const directory = await resources.directory();
      const run = await runConnectorCli(resources.command, {
        directory,
        context: fixture.context,
        databaseUrl: database.url,
        timeoutMs: soak ? 3_600_000 : 300_000,
      });
      expect(run.code, `the CLI sync failed: ${describeRun(run)}`).toBe(0);
      const peak = peakRssOf(run);
      expect(peak, `the CLI's result line carries no peakRssMB: ${describeRun(run)}`).toBeTypeOf('number');
      expect(
        peak! <= maxRssMB,
        `connector "${options.connector.name}": a sync peaked at ${peak} MB RSS, over its budget of ${maxRssMB} MB (maxRssMB)`,
      ).toBe(true);
    },
    testBudget(soak ? 3_600_000 : 300_000),
  );
}

function peakRssOf(run: CliRun): number | undefined {
  const result = run.result;
  return result?.type === 'result' && 'peakRssMB' in result ? result.peakRssMB : undefined;
}
