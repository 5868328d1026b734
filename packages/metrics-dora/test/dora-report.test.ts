import { openStore } from '@lake/sdk';
import { createScratchDatabase, testDialects } from '@lake/sdk/testing';
import { describe, expect, it } from 'vitest';
import { doraReport, explainPullRequest } from '../src/index.js';
import { writeReportHistory } from './support/report-history.js';
import { useScratchLake } from './support/scratch-lake.js';

const WINDOW = { from: '2026-02-02', to: '2026-03-01' };

describe.each(testDialects())('doraReport on %s', (dialect) => {
  const lake = useScratchLake(dialect);

  it('computes the four metrics over the window with the 2023 bands and every count behind them', async () => {
    await writeReportHistory(lake.store);
    const report = await doraReport(lake.store, { projectName: 'shop', ...WINDOW });
    expect(report.project).toBe('shop');
    expect(report.window).toEqual(WINDOW);
    expect(report.bands).toBe('2023');
    expect(report.metrics.deploymentFrequency).toEqual({
      value: 1,
      unit: 'deployment days per week',
      band: { level: 'high', label: 'Between once per day and once per week(high)' },
      noData: null,
      counts: {
        deployments: 5,
        deploymentsWithoutCommits: 1,
        deploymentDays: 4,
        calendarFrom: '2026-02-02',
        weeks: 4,
        weeksWithDeployments: 3,
        months: 2,
        monthsWithDeployments: 2,
        weeklyMedian: 1,
        monthlyMedian: 1,
        sixMonthBlocks: 1,
        sixMonthMedian: 4,
      },
    });
    expect(report.metrics.leadTime).toEqual({
      value: 1_440,
      unit: 'minutes',
      // Exactly one day is not "less than one day".
      band: { level: 'high', label: 'Between one day and one week(high)' },
      noData: null,
      counts: {
        pullRequestsDeployed: 3,
        pullRequestsDeployedBeforeMerge: 1,
        pullRequestsMerged: 9,
        pullRequestsMergedWithDeployTime: 3,
        pullRequestsMergedWithoutDeployTime: 6,
        withoutDeployTime: {
          noMergeCommit: 1,
          mergeCommitInNoDeployment: 1,
          onlyInFirstDeployment: 1,
          deploymentNotFinished: 1,
          deploymentBeforeMerge: 1,
          notComputed: 1,
        },
      },
    });
    expect(report.metrics.changeFailureRate).toEqual({
      value: 0.2,
      unit: 'ratio',
      band: { level: 'low', label: '> 15%(low)' },
      noData: null,
      counts: { deployments: 5, deploymentsWithIncident: 1, incidents: 5, incidentsLinked: 3, incidentsUnlinked: 2 },
    });
    expect(report.metrics.recoveryTime).toEqual({
      name: 'Failed deployment recovery time',
      value: 60,
      unit: 'minutes',
      // Exactly one hour is not "less than one hour".
      band: { level: 'high', label: 'Less than one day(high)' },
      noData: null,
      counts: {
        incidents: 5,
        incidentsUnresolved: 1,
        incidentsResolved: 5,
        incidentsLinked: 4,
        incidentsUnlinked: 1,
        incidentsLinkedOutsideWindow: 1,
        incidentsWithoutLeadTime: 1,
        incidentsMeasured: 3,
      },
    });
  });

  it('uses the 2021 thresholds and labels, and time to restore service from the incidents lead times', async () => {
    await writeReportHistory(lake.store);
    const { metrics } = await doraReport(lake.store, { projectName: 'shop', ...WINDOW, bands: '2021' });
    expect(metrics.deploymentFrequency.band).toEqual({
      level: 'high',
      label: 'Between once per day and once per month(high)',
    });
    expect(metrics.leadTime.band).toEqual({ level: 'high', label: 'Less than one week(high)' });
    // Exactly 20 % is still high: the bounds are inclusive.
    expect(metrics.changeFailureRate.band).toEqual({ level: 'high', label: '16%-20%(high)' });
    expect(metrics.recoveryTime).toMatchObject({
      name: 'Time to restore service',
      value: 1_440,
      band: { level: 'medium', label: 'Between one day and one week(medium)' },
      counts: { incidentsMeasured: 4, incidentsWithoutLeadTime: 1 },
    });
  });

  it('includes both edge days of the window and nothing a second outside it', async () => {
    await writeReportHistory(lake.store);
    const first = await doraReport(lake.store, { projectName: 'shop', from: '2026-02-02', to: '2026-02-02' });
    expect(first.metrics.deploymentFrequency.counts).toMatchObject({ deployments: 1, deploymentDays: 1, weeks: 1 });
    const last = await doraReport(lake.store, { projectName: 'shop', from: '2026-03-01', to: '2026-03-01' });
    expect(last.metrics.deploymentFrequency.counts).toMatchObject({ deployments: 1, deploymentDays: 1, months: 1 });
    const before = await doraReport(lake.store, { projectName: 'shop', from: '2026-02-01', to: '2026-02-01' });
    expect(before.metrics.deploymentFrequency.counts).toMatchObject({ deployments: 1, calendarFrom: '2026-02-01' });
    // d0, the only deployment of 1 February, is blamed for i4.
    expect(before.metrics.changeFailureRate).toMatchObject({
      value: 1,
      band: { level: 'low', label: '> 15%(low)' },
    });
  });

  it('counts empty weeks and months and looks at no more than the last 400 days', async () => {
    await writeReportHistory(lake.store);
    const { metrics } = await doraReport(lake.store, { projectName: 'shop', from: '2025-01-01', to: '2026-03-01' });
    expect(metrics.deploymentFrequency).toMatchObject({
      value: 0,
      unit: 'deployment days per month',
      band: { level: 'low', label: 'Fewer than once per month(low)' },
      counts: {
        deployments: 6,
        deploymentDays: 5,
        calendarFrom: '2025-01-26',
        weeks: 58,
        weeksWithDeployments: 4,
        months: 15,
        monthsWithDeployments: 2,
        weeklyMedian: 0,
        monthlyMedian: 0,
        sixMonthBlocks: 3,
        sixMonthMedian: 5,
      },
    });
    const older = await doraReport(lake.store, {
      projectName: 'shop',
      from: '2025-01-01',
      to: '2026-03-01',
      bands: '2021',
    });
    expect(older.metrics.deploymentFrequency.band).toEqual({
      level: 'medium',
      label: 'Between once per month and once every 6 months(medium)',
    });
  });

  it('says which metric has no data instead of giving it a band', async () => {
    await writeReportHistory(lake.store);
    const { metrics } = await doraReport(lake.store, { projectName: 'other', ...WINDOW });
    expect(metrics.deploymentFrequency).toMatchObject({
      value: null,
      band: null,
      noData: 'no deployments in the window',
    });
    expect(metrics.leadTime).toMatchObject({
      value: null,
      band: null,
      noData: 'no pull requests deployed in the window',
      counts: { pullRequestsMerged: 1, pullRequestsDeployed: 0, pullRequestsMergedWithDeployTime: 1 },
    });
    expect(metrics.changeFailureRate).toMatchObject({
      value: null,
      band: null,
      noData: 'no deployments in the window',
    });
    expect(metrics.recoveryTime).toMatchObject({
      value: null,
      band: null,
      noData: 'no incident resolved in the window is linked to a deployment that finished in the window',
    });
    const restore = await doraReport(lake.store, { projectName: 'other', ...WINDOW, bands: '2021' });
    expect(restore.metrics.recoveryTime.noData).toBe('no incident with a lead time was resolved in the window');
  });

  it('defaults to the six months up to now', async () => {
    await writeReportHistory(lake.store);
    const report = await doraReport(lake.store, { projectName: 'shop', now: new Date('2026-08-31T15:00:00Z') });
    expect(report.window).toEqual({ from: '2026-02-28', to: '2026-08-31' });
    expect(report.metrics.deploymentFrequency.counts).toMatchObject({ deployments: 2, months: 7 });
  });

  it('reads only: a lake the metric never ran on is told to run it, and nothing is created', async () => {
    const scratch = await createScratchDatabase(dialect);
    const store = await openStore(scratch.url);
    try {
      const expected = { code: 'USAGE', details: { pending: expect.arrayContaining(['sdk/0001-framework-tables']) } };
      await expect(doraReport(store, { projectName: 'shop', ...WINDOW })).rejects.toMatchObject(expected);
      await expect(explainPullRequest(store, { projectName: 'shop', pullRequestId: 'github:1' })).rejects.toMatchObject(
        expected,
      );
      await expect(doraReport(store, { projectName: 'shop', ...WINDOW })).rejects.toThrow(/run `lake metrics` first/);
      expect(await store.db.introspection.getTables()).toEqual([]);
    } finally {
      await store.close();
      await scratch.drop();
    }
  });
});
