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
import { serveWebhooks } from '../src/run/webhook-receivers.ts';
import { createProject, type TestProject, webhookConnection } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;
const JOB = 'shop/deploy';
const DAY = 86_400_000;
const WEBHOOK_TOKEN = 'incident-webhook-token-5d1e9c3b7a2f';

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
  const webhook = await registry.publishWorkspacePackage(join(workspace, 'connectors/webhook'));
  const dora = await registry.publishWorkspacePackage(join(workspace, 'packages/metrics-dora'));
  project = await createProject({
    registryUrl: registry.url,
    token: registry.token,
    connectors: { jenkins: connector.version, webhook: webhook.version },
    connections: [
      {
        name: 'ci',
        connector: 'jenkins',
        id: 3,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
        settings: { endpoint: jenkins.url, username: USER, apiToken: '${SHOP_JENKINS_TOKEN}' },
        scopes: [{ id: JOB, scope: { job: JOB } }],
      },
      // Incidents come from the incident tool, through the webhook.
      webhookConnection('incidents', 4, 'shop incidents'),
    ],
    extra: {
      metrics: { dora: dora.version },
      projects: {
        shop: {
          scopes: [
            { connection: 'ci', scope: JOB },
            { connection: 'incidents', scope: 'webhook' },
          ],
        },
      },
    },
  });
  project.environment.SHOP_JENKINS_TOKEN = API_TOKEN;
  project.environment.SHOP_WEBHOOK_TOKEN = WEBHOOK_TOKEN;
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

    // One incident, opened after build 6 (deployed 2026-11-07 08:04) and resolved at 14:00.
    await postIncident({
      id: 'INC-7',
      title: 'checkout errors after the deploy',
      createdDate: '2026-11-07T12:00:00Z',
      resolvedDate: '2026-11-07T14:00:00Z',
    });
    const again = await project.lake('sync');
    expect(again.code, again.stdout + again.stderr).toBe(0);

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
    // The incident is linked to the deployment before it (build 6): one change of seven failed.
    expect(metrics.changeFailureRate!.counts).toMatchObject({
      deployments: 7,
      deploymentsWithIncident: 1,
      incidents: 1,
      incidentsLinked: 1,
    });
    expect(metrics.changeFailureRate!.value).toBeCloseTo(1 / 7, 10);
    // From build 6's finish (08:04) to the resolution (14:00): 356 minutes.
    expect(metrics.recoveryTime!.value).toBe(356);
  });
});

/** Runs `lake webhook serve` for as long as it takes to post one incident. */
async function postIncident(incident: Record<string, string>): Promise<void> {
  const controller = new AbortController();
  const lines: string[] = [];
  const exited = serveWebhooks(project.paths, {
    environment: project.environment,
    connections: [],
    port: 0,
    host: '127.0.0.1',
    json: true,
    signal: controller.signal,
    onLine: (line) => lines.push(line),
  });
  try {
    let url: string | undefined;
    while (url === undefined) {
      url = lines
        .map((line) => JSON.parse(line) as { type: string; url?: string })
        .find((line) => line.type === 'listening')?.url;
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const response = await fetch(`${url}/connections/4/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(incident),
    });
    expect(response.status).toBe(201);
  } finally {
    controller.abort();
  }
  expect(await exited).toBe(0);
}
