// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitlabDataset, PROJECT_PATH } from '../../../connectors/gitlab/test/fake-gitlab/dataset.ts';
import { type FakeGitlab, startFakeGitlab, TOKEN } from '../../../connectors/gitlab/test/fake-gitlab/fake-gitlab.ts';
import { createProject, type TestProject } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A month of a GitLab project, Monday 2 November 2026 on: a first deployment of the initial
 * commit, then three merge requests, each merged and its merge commit deployed to production
 * (the third to "live", production by its tier alone), one also to staging; an incident opened
 * after the second deployment and closed an hour later. A fourth merge request is merged but
 * not deployed on its own: the third deployment ships it (its merge commit is in the deployed
 * commit's history, which the metric finds through `commit_parents`).
 */
function monthOfWork() {
  const dataset = new GitlabDataset(
    { mergeRequests: 0, issues: 0, commits: 1, pipelines: 0, deployments: 0, members: 3 },
    Date.UTC(2026, 10, 2),
  );
  const production = [dataset.deploy(dataset.head!.id, 'production')];
  const shipped: Array<{ created: number; finished: number }> = [];
  const ship = (afterMerge: number, afterCreation: number, environment: string) => {
    const record = dataset.addMergeRequest(2, 1, 0);
    dataset.tick(afterCreation);
    dataset.merge(record.iid);
    dataset.tick(afterMerge);
    if (environment === 'live') dataset.deploy(record.merge_commit_sha!, 'staging');
    const deployment = dataset.deploy(record.merge_commit_sha!, environment);
    production.push(deployment);
    shipped.push({ created: record.created_at, finished: deployment.job.finished_at! });
  };
  ship(HOUR, 2 * HOUR, 'production');
  dataset.tick(DAY);
  ship(30 * 60_000, 30 * 60_000, 'production');
  dataset.tick(10 * 60_000);
  const incident = dataset.addIssue(10);
  dataset.tick(HOUR);
  dataset.touchIssue(incident.iid, { state: 'closed' });
  dataset.tick(2 * DAY);
  const riding = dataset.addMergeRequest(2, 1, 0);
  dataset.tick(2 * HOUR);
  dataset.merge(riding.iid);
  dataset.tick(HOUR);
  ship(HOUR, 4 * HOUR, 'live');
  return { dataset: dataset.finishBuilding(), production, shipped, incident, riding };
}

let registry: TestRegistry;
let project: TestProject;
let gitlab: FakeGitlab;
const work = monthOfWork();

beforeAll(async () => {
  gitlab = await startFakeGitlab(work.dataset);
  registry = await startTestRegistry();
  await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'));
  const connector = await registry.publishWorkspacePackage(join(workspace, 'connectors/gitlab'));
  const dora = await registry.publishWorkspacePackage(join(workspace, 'packages/metrics-dora'));
  project = await createProject({
    registryUrl: registry.url,
    token: registry.token,
    connectors: { gitlab: connector.version },
    connections: [
      {
        name: 'gitlab',
        connector: 'gitlab',
        id: 3,
        settings: { endpoint: gitlab.url, token: '${GITLAB_TOKEN}' },
        scopes: [{ id: 'api', scope: { project: PROJECT_PATH } }],
      },
    ],
    extra: {
      metrics: { dora: dora.version },
      projects: { platform: { scopes: [{ connection: 'gitlab', scope: 'api' }] } },
    },
  });
  project.environment.GITLAB_TOKEN = TOKEN;
  const installed = await project.lake('install');
  expect(installed.code, installed.stdout + installed.stderr).toBe(0);
});

afterAll(async () => {
  await gitlab?.close();
  await registry?.stop();
});

interface Report {
  metrics: Record<string, { value: number | null; unit?: string; counts: Record<string, unknown> }>;
}

const minutes = (from: number, to: number) => Math.ceil((to - from) / 60_000);

describe('the GitLab connector installed into a runtime', () => {
  it('syncs a project from GitLab, and its DORA report counts what GitLab served', async () => {
    const synced = await project.lake('sync');
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(synced.stdout + synced.stderr).not.toContain(TOKEN);
    expect(gitlab.api.log.filter((request) => request.path.endsWith('/deployments')).length).toBeGreaterThan(0);

    const report = await project.lake('metrics', 'platform', '--from', '2026-11-01', '--to', '2026-11-30', '--json');
    expect(report.code, report.stderr).toBe(0);
    const { metrics } = JSON.parse(report.stdout) as Report;

    // Four production deployments (the staging one is not), on three days of one month.
    const days = new Set(
      work.production.map((deployment) => new Date(deployment.job.finished_at!).toISOString().slice(0, 10)),
    );
    expect(work.production).toHaveLength(4);
    expect(days.size).toBe(3);
    expect(metrics.deploymentFrequency!.counts).toMatchObject({
      deployments: 4,
      deploymentDays: 3,
      weeksWithDeployments: 1,
    });
    // One week of six has deployments: the weekly median is 0, so the figure is per month.
    expect(metrics.deploymentFrequency!.value).toBe(3);
    expect(metrics.deploymentFrequency!.unit).toBe('deployment days per month');

    // Each merge request: first commit authored at its creation, deployed when its deployment finished.
    const cycleTimes = work.shipped.map((change) => minutes(change.created, change.finished)).sort((a, b) => a - b);
    // Created → merged (+1 minute, the merge's own) → deployed (+1, the deployment's creation; +1 the staging one) → finished (+3).
    expect(cycleTimes).toEqual([65, 185, 306]);
    // The riding merge request: from its creation to the deployment that shipped it with the next one.
    const riding = minutes(work.riding.created_at, work.production[3]!.job.finished_at!);
    expect(riding).toBeGreaterThan(306);
    const sample = [...cycleTimes, riding].sort((a, b) => a - b);
    // The dashboards' median: the lower one of an even sample.
    expect(metrics.leadTime!.value).toBe(sample[Math.floor((sample.length - 1) / 2)]);
    expect(metrics.leadTime!.counts).toMatchObject({ pullRequestsDeployed: 4, pullRequestsMerged: 4 });

    // The incident opened after the second merge request's deployment is blamed on it: 1 of 4.
    expect(metrics.changeFailureRate!.counts).toMatchObject({
      deployments: 4,
      deploymentsWithIncident: 1,
      incidents: 1,
      incidentsLinked: 1,
    });
    expect(metrics.changeFailureRate!.value).toBe(0.25);
    const blamed = work.production[2]!;
    expect(metrics.recoveryTime!.value).toBe(Math.floor((work.incident.closed_at! - blamed.job.finished_at!) / 60_000));
  });
});
