// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jiraDataset } from '../../../connectors/jira/test/fake-jira/dataset.ts';
import {
  CLOUD_API_TOKEN,
  CLOUD_EMAIL,
  type FakeJira,
  startFakeJira,
} from '../../../connectors/jira/test/fake-jira/fake-jira.ts';
import { serveWebhooks } from '../src/run/webhook-receivers.ts';
import { createProject, type TestProject, webhookConnection } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;
const WEBHOOK_TOKEN = 'webhook-token-7d1e9a3c5b2f8e4a6c0d';
const HOUR = 3_600_000;

let registry: TestRegistry;
let project: TestProject;
let jira: FakeJira;

beforeAll(async () => {
  // 40 issues from 2026-03-28 20:00 UTC, seven minutes apart; every fourth an Incident, a third of them resolved.
  jira = await startFakeJira(jiraDataset({ issues: 40 }));
  registry = await startTestRegistry();
  await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'));
  const jiraPackage = await registry.publishWorkspacePackage(join(workspace, 'connectors/jira'));
  const webhook = await registry.publishWorkspacePackage(join(workspace, 'connectors/webhook'));
  const dora = await registry.publishWorkspacePackage(join(workspace, 'packages/metrics-dora'));
  project = await createProject({
    registryUrl: registry.url,
    token: registry.token,
    connectors: { jira: jiraPackage.version, webhook: webhook.version },
    connections: [
      {
        name: 'tickets',
        connector: 'jira',
        id: 3,
        settings: {
          endpoint: jira.url,
          auth: { type: 'basic', email: CLOUD_EMAIL, apiToken: '${JIRA_API_TOKEN}' },
        },
        scopes: [
          { id: 'core', scope: { boardId: 8 }, config: { typeMappings: { Incident: { standardType: 'INCIDENT' } } } },
        ],
      },
      webhookConnection('deploys', 5, 'shop deploys'),
    ],
    extra: {
      metrics: { dora: dora.version },
      projects: {
        shop: {
          scopes: [
            { connection: 'tickets', scope: 'core' },
            { connection: 'deploys', scope: 'webhook' },
          ],
        },
      },
    },
  });
  project.environment.SHOP_WEBHOOK_TOKEN = WEBHOOK_TOKEN;
  project.environment.JIRA_API_TOKEN = CLOUD_API_TOKEN;
  const installed = await project.lake('install');
  expect(installed.code, installed.stdout + installed.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await registry?.stop();
  await jira?.api.close();
});

/** Runs `lake webhook serve` while `work` posts to it. */
async function whileServing(work: (url: string) => Promise<void>) {
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
  let url: string | undefined;
  while (url === undefined) {
    url = lines
      .map((line) => JSON.parse(line) as { type: string; url?: string })
      .find((line) => line.type === 'listening')?.url;
    if (url === undefined) {
      const early = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(undefined), 25))]);
      if (early !== undefined) throw new Error(`the receiver exited ${early}: ${lines.join('\n')}`);
    }
  }
  try {
    await work(url);
  } finally {
    controller.abort();
  }
  return exited;
}

/** Production deployments, finished at these instants: before the first issue, among the incidents, after the last. */
const START = Date.UTC(2026, 2, 28, 20, 0, 0);
const finishes = [START - HOUR, START + 30 * 60_000, START + 2 * HOUR, START + 24 * HOUR];

/** What the DORA report must say, worked out from the fake's incidents and the deployments, as §2.7 and §3.4–3.5 define it. */
function expectedMetrics() {
  const incidents = jira.dataset.issues.filter((issue) => issue.type === 'Incident');
  const blamed = new Map<number, number>();
  const recoveries: number[] = [];
  for (const incident of incidents) {
    const before = finishes.filter((finish) => finish < incident.created);
    if (before.length === 0) continue;
    const deployment = Math.max(...before);
    blamed.set(deployment, (blamed.get(deployment) ?? 0) + 1);
    if (incident.resolved !== null) recoveries.push(Math.floor((incident.resolved - deployment) / 60_000));
  }
  recoveries.sort((a, b) => a - b);
  return {
    incidents: incidents.length,
    failedDeployments: blamed.size,
    changeFailureRate: blamed.size / finishes.length,
    recoveryTime: recoveries[Math.floor((recoveries.length - 1) / 2)],
  };
}

it('counts the INCIDENT issues of a Jira board in the change failure rate and recovery time of its project', async () => {
  const synced = await project.lake('sync');
  expect(synced.code, synced.stdout + synced.stderr).toBe(0);
  expect(jira.api.requestsTo('/rest/api/3/search/jql').length).toBeGreaterThan(0);

  const code = await whileServing(async (url) => {
    for (const [index, finish] of finishes.entries()) {
      const response = await fetch(`${url}/connections/5/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: `deploy-${index + 1}`,
          startedDate: new Date(finish - 5 * 60_000).toISOString(),
          finishedDate: new Date(finish).toISOString(),
          repoUrl: 'https://git.example.com/shop/api',
          commitSha: String(index + 1).repeat(40),
        }),
      });
      expect(response.status).toBe(201);
    }
  });
  expect(code).toBe(0);

  // The next sync runs the project's metrics over the board's incidents and the deployments.
  const again = await project.lake('sync');
  expect(again.code, again.stdout + again.stderr).toBe(0);
  const report = await project.lake('metrics', 'shop', '--from', '2026-03-01', '--to', '2026-04-30', '--json');
  expect(report.code, report.stderr).toBe(0);
  const metrics = (
    JSON.parse(report.stdout) as { metrics: Record<string, { value: number | null; counts: Record<string, number> }> }
  ).metrics;
  const expected = expectedMetrics();
  // 10 incidents, CORE-3 … CORE-39: three deployments are blamed for some; the last finished after all of them.
  expect(expected).toMatchObject({ incidents: 10, failedDeployments: 3, changeFailureRate: 0.75 });
  expect(metrics.changeFailureRate!.counts).toMatchObject({
    deployments: finishes.length,
    deploymentsWithIncident: expected.failedDeployments,
    incidents: expected.incidents,
  });
  expect(metrics.changeFailureRate!.value).toBe(expected.changeFailureRate);
  expect(metrics.recoveryTime!.value).toBe(expected.recoveryTime);
  // Resolved incidents 122, 128, 134 and 207 minutes after the deployment blamed: the lower median.
  expect(expected.recoveryTime).toBe(128);
  expect(report.stdout + synced.stdout + again.stdout).not.toContain(CLOUD_API_TOKEN);
}, 300_000);
