import { doraReport, runMetrics } from '@lake/metrics-dora';
import { domainShape } from '@lake/sdk/store';
import { createTestLake } from '@lake/testkit';
import { afterEach, expect, it } from 'vitest';
import { jiraConnector } from '../src/index.js';
import { jiraDataset } from './fake-jira/dataset.js';
import { connectionFor, startFakeJira } from './fake-jira/fake-jira.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

// DORA's change failure rate and recovery time read the INCIDENT issues of a project's boards.
it('feeds its INCIDENT issues, through the project mapping of its board, to the DORA metrics', async () => {
  const fake = await startFakeJira(jiraDataset({ issues: 40 }));
  const lake = await createTestLake({ connector: jiraConnector });
  closers.push(
    () => fake.api.close(),
    () => lake.close(),
  );
  const scopeConfig = { typeMappings: { Incident: { standardType: 'INCIDENT' } } };
  await lake.syncOrThrow({ connection: connectionFor(fake), scope: { boardId: 8 }, scopeConfig });
  const [board] = await jiraConnector.domainScopes({
    ids: { of: (...parts: unknown[]) => `jira:${parts[0]}:1:${parts[1]}` },
    scope: { boardId: 8 },
  } as never);
  expect(board).toEqual({ table: 'boards', id: 'jira:JiraBoard:1:8' });
  await lake.store.writer().upsert(domainShape('projects'), [{ name: 'core' }]);
  await lake.store
    .writer()
    .upsert(domainShape('project_mapping'), [{ project_name: 'core', table: 'boards', row_id: board!.id }]);

  await runMetrics(lake.store, { projectName: 'core', steps: ['incidents'] });
  const incidents = fake.dataset.issues.filter((issue) => issue.type === 'Incident');
  const resolved = incidents.filter((issue) => issue.resolved !== null);
  expect(incidents.length).toBeGreaterThan(0);
  expect(resolved.length).toBeGreaterThan(0);
  const rows = await lake.store.db.selectFrom('incidents').select(['id', 'scope_id']).execute();
  expect(rows.map((row) => row.id).sort()).toEqual(incidents.map((issue) => `jira:JiraIssue:1:${issue.id}`).sort());
  expect(new Set(rows.map((row) => row.scope_id))).toEqual(new Set(['jira:JiraBoard:1:8']));

  const report = await doraReport(lake.store, {
    projectName: 'core',
    bands: '2021',
    from: '2026-03-01',
    to: '2026-04-30',
  });
  const recovery = report.metrics.recoveryTime;
  expect(recovery.counts).toMatchObject({ incidents: incidents.length, incidentsResolved: resolved.length });
  // Time to restore (2021): the lower median of the resolved incidents' lead times, from Jira's resolution dates.
  const leadTimes = resolved
    .map((issue) => Math.floor((issue.resolved! - issue.created) / 60_000))
    .sort((a, b) => a - b);
  expect(recovery.value).toBe(leadTimes[Math.floor((leadTimes.length - 1) / 2)]);
});
