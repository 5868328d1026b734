// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebhooks } from '../src/run/webhook-receivers.ts';
import { expectRuntimeError } from './support/expect-runtime-error.ts';
import { createProject, type TestProject, webhookConnection } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const workspace = new URL('../../../', import.meta.url).pathname;
const TOKEN = 'webhook-token-3c9e1f7a5b2d8e4f6a0c';
const SHA_ONE = '1'.repeat(40);
const SHA_TWO = '2'.repeat(40);

let registry: TestRegistry;
let project: TestProject;

beforeAll(async () => {
  registry = await startTestRegistry();
  await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'));
  const webhook = await registry.publishWorkspacePackage(join(workspace, 'connectors/webhook'));
  const dora = await registry.publishWorkspacePackage(join(workspace, 'packages/metrics-dora'));
  project = await createProject({
    registryUrl: registry.url,
    token: registry.token,
    connectors: { webhook: webhook.version },
    connections: [webhookConnection('deploys', 5, 'shop deploys')],
    extra: {
      metrics: { dora: dora.version },
      projects: { shop: { scopes: [{ connection: 'deploys', scope: 'webhook' }] } },
    },
  });
  project.environment.SHOP_WEBHOOK_TOKEN = TOKEN;
  const installed = await project.lake('install');
  expect(installed.code, installed.stdout + installed.stderr).toBe(0);
});

afterAll(async () => {
  await registry?.stop();
});

/** Runs `lake webhook serve` until `work` is done, returning what it logged. */
async function whileServing(work: (url: string) => Promise<void>, connections: string[] = []) {
  const controller = new AbortController();
  const lines: string[] = [];
  const exited = serveWebhooks(project.paths, {
    environment: project.environment,
    connections,
    port: 0,
    host: '127.0.0.1',
    json: true,
    signal: controller.signal,
    onLine: (line) => lines.push(line),
  });
  let url: string | undefined;
  while (url === undefined) {
    const listening = lines
      .map((line) => JSON.parse(line) as { type: string; url?: string })
      .find((line) => line.type === 'listening');
    url = listening?.url;
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
  return { code: await exited, lines };
}

async function post(url: string, path: string, body: unknown, token = TOKEN) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.status;
}

describe('lake webhook serve', () => {
  it('receives deployments and incidents that the DORA report of a project counts', async () => {
    const synced = await project.lake('sync');
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    const served = await whileServing(async (url) => {
      const deployment = (id: string, day: string, sha: string) => ({
        id,
        startedDate: `2026-11-${day}T10:00:00Z`,
        finishedDate: `2026-11-${day}T10:05:00Z`,
        repoUrl: 'https://git.example.com/shop/api',
        commitSha: sha,
      });
      expect(await post(url, '/connections/5/deployments', deployment('d-1', '02', SHA_ONE))).toBe(201);
      expect(await post(url, '/connections/5/deployments', deployment('d-1', '02', SHA_ONE))).toBe(200);
      expect(await post(url, '/connections/5/deployments', deployment('d-2', '09', SHA_TWO))).toBe(201);
      expect(
        await post(url, '/connections/5/incidents', {
          id: 'INC-1',
          title: 'checkout down',
          createdDate: '2026-11-09T12:00:00Z',
          resolvedDate: '2026-11-09T14:00:00Z',
        }),
      ).toBe(201);
      expect(
        await post(
          url,
          '/connections/5/deployments',
          deployment('d-3', '10', SHA_ONE),
          'not-the-token-but-long-enough',
        ),
      ).toBe(401);
    });
    expect(served.code).toBe(0);
    expect(served.lines.join('\n')).not.toContain(TOKEN);
    expect(served.lines.filter((line) => line.includes('"type":"request"'))).toHaveLength(5);

    // The next sync runs the project's metrics over what the receiver wrote.
    const again = await project.lake('sync');
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const report = await project.lake('metrics', 'shop', '--from', '2026-11-01', '--to', '2026-11-30', '--json');
    expect(report.code, report.stderr).toBe(0);
    const metrics = (
      JSON.parse(report.stdout) as { metrics: Record<string, { value: number | null; counts: Record<string, number> }> }
    ).metrics;
    expect(metrics.deploymentFrequency!.counts.deployments).toBe(2);
    expect(metrics.changeFailureRate!.counts).toMatchObject({
      deployments: 2,
      deploymentsWithIncident: 1,
      incidents: 1,
      incidentsLinked: 1,
    });
    expect(metrics.changeFailureRate!.value).toBe(0.5);
    // 2023's failed deployment recovery time: from the blamed deployment's finish (10:05) to the resolution (14:00).
    expect(metrics.recoveryTime!.value).toBe(235);
  });

  it('names what is missing: a variable, a connection, a webhook connection', async () => {
    delete project.environment.SHOP_WEBHOOK_TOKEN;
    const missing = await expectRuntimeError(
      whileServing(async () => {}),
      'SECRET_MISSING',
    );
    expect(missing.message).toBe('connections[0].settings.token: environment variable SHOP_WEBHOOK_TOKEN is not set');
    project.environment.SHOP_WEBHOOK_TOKEN = TOKEN;
    const unknown = await project.lake('webhook', 'serve', '--connection', 'nowhere');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no connection named "nowhere" in lake.yaml');
    const usage = await project.lake('webhook', 'listen');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('lake webhook serve');
    const badPort = await project.lake('webhook', 'serve', '--port', 'eighty');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be an integer from 0 to 65535');
  });
});
