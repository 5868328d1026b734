import type { DialectName, SyncResult } from '@lake/sdk';
import { expect, it } from 'vitest';
import type { TestLake } from '../test-lake.js';
import type { ConnectorFixture } from './conformance-options.js';
import type { ConformanceResources } from './conformance-resources.js';
import { differences, fingerprintLake } from './lake-fingerprint.js';

/**
 * Counts and identity: after a sync, a re-sync, and each change of the source, every domain
 * table holds exactly as many rows as the source says — and the lake equals a fresh sync of
 * the changed source, table for table (raw tables aside: they keep history). An id built from
 * a field that changes, or from `_raw_data_id` (unknown while converting), shows as extra or
 * collapsed rows.
 */
export function describeCountsAndIdentity(resources: ConformanceResources, dialect: DialectName): void {
  const { connector } = resources.options;

  it('every domain table holds exactly the rows the source implies, after a sync, a re-sync and each change of the source', async () => {
    const fixture = await resources.fixture({ size: 'small' });
    const lake = await resources.lake(dialect);
    await expectSync(lake, fixture, 'the first sync');
    await expectCounts(lake, fixture, 'after the first sync');
    await expectSync(lake, fixture, 'a re-sync of the unchanged source');
    await expectCounts(lake, fixture, 'after a re-sync of the unchanged source');
    for (const round of [1, 2]) {
      await fixture.mutate(round);
      await expectSync(lake, fixture, `the sync after change ${round}`);
      await expectCounts(lake, fixture, `after change ${round} of the source and an incremental sync`);
      await expectEqualToFreshSync(lake, fixture, `after change ${round} of the source and an incremental sync`);
    }
    if (fixture.remove) {
      await fixture.remove();
      await expectSync(lake, fixture, 'the full sync after a removal', { full: true });
      await expectCounts(lake, fixture, 'after a removal at the source and a full sync');
      await expectEqualToFreshSync(lake, fixture, 'after a removal at the source and a full sync');
    }
  });

  const expectSync = async (
    lake: TestLake,
    fixture: ConnectorFixture,
    what: string,
    overrides: { full?: boolean } = {},
  ): Promise<SyncResult> => {
    const result = await lake.sync(fixture.context, overrides);
    expect(result.error?.message ?? '', `${what} of ${connector.name} failed`).toBe('');
    expect(['succeeded', 'skipped'], what).toContain(result.status);
    return result;
  };

  const expectCounts = async (lake: TestLake, fixture: ConnectorFixture, when: string) => {
    const expected = await fixture.expectedCounts();
    const unstated = connector.domainTables.filter((table) => !Object.hasOwn(expected, table));
    expect(unstated, `the fixture's expectedCounts() must state every domain table ${connector.name} writes`).toEqual(
      [],
    );
    const actual: Record<string, number> = {};
    for (const table of Object.keys(expected)) actual[table] = await lake.count(table);
    expect(actual, `rows per table ${when}`).toEqual(expected);
  };

  const expectEqualToFreshSync = async (lake: TestLake, fixture: ConnectorFixture, when: string) => {
    const fresh = await resources.lake(dialect);
    await expectSync(fresh, fixture, 'a fresh sync of the changed source');
    const [expected, actual] = await Promise.all([
      fingerprintLake(fresh.store, connector.name, ['tool', 'domain']),
      fingerprintLake(lake.store, connector.name, ['tool', 'domain']),
    ]);
    expect(differences(expected, actual), `the lake ${when}, compared with a fresh sync of the same source`).toEqual(
      [],
    );
    await fresh.close();
  };
}
