import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The fake Jenkins of the connector's own tests: a real HTTP server on 127.0.0.1.
import { JenkinsDataset, PIPELINE_JOB } from '../../../connectors/jenkins/test/fake-jenkins/dataset.ts';
import {
  API_TOKEN,
  type FakeJenkins,
  startFakeJenkins,
  USER,
} from '../../../connectors/jenkins/test/fake-jenkins/fake-jenkins.ts';
import { createProject, type TestProject } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;
const JOB = 'shop/deploy';
const DAY = 86_400_000;

let registry: TestRegistry;
let project: TestProject;
let jenkins: FakeJenkins;
let dataset: JenkinsDataset;

beforeAll(async () => {
  // Ten builds of a deployment Pipeline, one a day from Monday 2026-11-02 08:00 UTC: 3 fails
  // its tests, 5 is aborted while deploying, 10 fails (every 7th from 3 fails, every 11th from 5 is aborted).
  dataset = new JenkinsDataset({ start: Date.parse('2026-11-01T08:00:00Z'), stepMs: DAY })
    .addFolder('shop')
    .addJob(JOB, PIPELINE_JOB, 10);
  jenkins = await startFakeJenkins(dataset);
  registry = await startTestRegistry();
  await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'));
  const connector = await registry.publishWorkspacePackage(join(workspace, 'connectors/jenkins'));
  const dora = await registry.publishWorkspacePackage(join(workspace, 'packages/metrics-dora'));
  project = await createProject({
    registryUrl: registry.url,
    token: registry.token,
    connectors: { jenkins: connector.version },
    connections: [
      {
        name: 'ci',
        connector: 'jenkins',
        id: 3,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
        settings: { endpoint: jenkins.url, username: USER, apiToken: '${SHOP_JENKINS_TOKEN}' },
        scopes: [{ id: JOB, scope: { job: JOB } }],
      },
    ],
    extra: {
      metrics: { dora: dora.version },
      projects: { shop: { scopes: [{ connection: 'ci', scope: JOB }] } },
    },
  });
  project.environment.SHOP_JENKINS_TOKEN = API_TOKEN;
  const installed = await project.lake('install');
  expect(installed.code, installed.stdout + installed.stderr).toBe(0);
});

afterAll(async () => {
  await registry?.stop();
  await jenkins?.close();
});

describe('a project whose deployments come from Jenkins', () => {
  it('gets DORA figures from the builds the fake served', async () => {
    const synced = await project.lake('sync');
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(synced.stdout + synced.stderr).not.toContain(API_TOKEN);

    const report = await project.lake('metrics', 'shop', '--from', '2026-11-01', '--to', '2026-11-30', '--json');
    expect(report.code, report.stderr).toBe(0);
    const metrics = (
      JSON.parse(report.stdout) as { metrics: Record<string, { value: number | null; counts: Record<string, number> }> }
    ).metrics;
    // Successful production deployments, counted from the fake's builds: every build of the
    // deployment job that succeeded (1, 2, 4, 6, 7, 8, 9), one a day.
    const succeeded = dataset.job(JOB).builds.filter((build) => build.result === 'SUCCESS');
    expect(succeeded.map((build) => build.number)).toEqual([1, 2, 4, 6, 7, 8, 9]);
    expect(metrics.deploymentFrequency!.counts).toMatchObject({
      deployments: succeeded.length,
      deploymentsWithoutCommits: 0,
      deploymentDays: 7,
    });
    // Seven deployment days in November; the median week has none, so the figure is per month.
    expect(metrics.deploymentFrequency!.value).toBe(7);
    // No incident names a deployment: none of the seven failed a change.
    expect(metrics.changeFailureRate!.counts).toMatchObject({
      deployments: 7,
      deploymentsWithIncident: 0,
      incidents: 0,
    });
    expect(metrics.changeFailureRate!.value).toBe(0);
  });
});
