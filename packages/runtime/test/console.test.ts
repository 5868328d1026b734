import { get as httpGet } from 'node:http';
import { Writable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/cli/run-command.ts';
import { type RunningConsole, startConsoleServer } from '../src/ui/console-server.ts';
import type { QueueStatusSource } from '../src/ui/queue-status-source.ts';
import { axeViolations, chromiumAvailable, launchChromium, screenshot } from './support/console-browser.ts';
import { describeConsoleData } from './support/console-checks.ts';
import { CONSOLE_SECRET, type ConsoleLake, createConsoleLake } from './support/console-lake.ts';
import { expectRuntimeError } from './support/expect-runtime-error.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

let registry: TestRegistry;
let lake: ConsoleLake;
let server: RunningConsole;
/** Every API answer a test read, for the secret crawl at the end. */
const answers: string[] = [];

async function api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, server.url), init);
  const text = await response.text();
  answers.push(text);
  return { status: response.status, body: JSON.parse(text) as T };
}

beforeAll(async () => {
  registry = await startTestRegistry();
  lake = await createConsoleLake(registry);
  server = await startConsoleServer({ paths: lake.project.paths, environment: lake.project.environment, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await registry?.stop();
});

describe('lake ui: the JSON API against a lake filled by real syncs', () => {
  it('lists the installed packages with the versions, signatures and verify result of lake.lock', async () => {
    const { body } = await api<Array<Record<string, unknown>>>('api/connectors');
    const listed = JSON.parse((await lake.project.lake('list', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(body.map((row) => [row.kind, row.name, row.version])).toEqual(
      listed.map((row) => [row.kind, row.name, row.version]),
    );
    expect(body.map((row) => row.name)).toEqual(['alpha', 'beta', 'git', 'dora']);
    expect(body.map((row) => (row.verify as { ok: boolean }).ok)).toEqual([true, true, true, true]);
    expect(body.map((row) => (row.signature as { signed: boolean }).signed)).toEqual([false, false, false, false]);
  });

  it('says what lake outdated says, and lists the catalog with its secret settings', async () => {
    const outdated = await api<{ rows: Array<{ name: string }> }>('api/outdated');
    expect(outdated.body.rows.map((row) => row.name).sort()).toEqual(['alpha', 'beta', 'dora', 'git']);
    const catalog = await api<{ connectors: Array<{ name: string; secretFields: string[] }> }>('api/catalog');
    const search = JSON.parse((await lake.project.lake('search', '--json')).stdout) as typeof catalog.body;
    expect(catalog.body.connectors.map((entry) => entry.name)).toEqual(search.connectors.map((entry) => entry.name));
    expect(catalog.body.connectors.map((entry) => entry.name)).toEqual([
      'git',
      'github',
      'gitlab',
      'jenkins',
      'jira',
      'webhook',
    ]);
    const narrowed = await api<typeof catalog.body>('api/catalog?q=jenkins');
    const jenkins = narrowed.body.connectors.find((entry) => entry.name === 'jenkins')!;
    expect(jenkins.secretFields).toEqual(['apiToken']);
    expect(narrowed.body.connectors.length).toBeLessThan(catalog.body.connectors.length);
  });

  describeConsoleData(() => ({ api, lake }));

  it('answers the live progress the syncs wrote, and "no queue configured" by default', async () => {
    const { body } =
      await api<
        Array<{
          status: string;
          scopes: Array<{
            connection: string;
            scopeId: string;
            status: string;
            streams: Array<{ stream: string; records: number }>;
          }>;
        }>
      >('api/live');
    expect(body.map((sync) => sync.status)).toEqual(['finished', 'finished', 'finished', 'finished']);
    const quick = body.flatMap((sync) => sync.scopes).find((scope) => scope.scopeId === 'quick')!;
    expect([quick.connection, quick.status, quick.streams.map((stream) => [stream.stream, stream.records])]).toEqual([
      'api',
      'succeeded',
      [['items', 5]],
    ]);
    const queue = await api<{ configured: boolean }>('api/queue');
    expect(queue.body.configured).toBe(false);
  });

  it('streams a running sync over Server-Sent Events until it finishes', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL('api/live/events', server.url), { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const seen: Array<{ status: string; records: number }> = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          answers.push(event);
          const data = event.split('\n').find((line) => line.startsWith('data: '));
          if (data) {
            const slow = (
              JSON.parse(data.slice(6)) as Array<{
                status: string;
                scopes: Array<{ scopeId: string; streams: Array<{ records: number }> }>;
              }>
            ).find((sync) => sync.scopes.some((scope) => scope.scopeId === 'slow'));
            if (slow) seen.push({ status: slow.status, records: slow.scopes[0]!.streams[0]?.records ?? 0 });
            if (slow?.status === 'finished') return;
          }
          end = buffer.indexOf('\n\n');
        }
      }
    })();
    const synced = await lake.project.lake('sync', 'api', '--scope', 'slow');
    expect(synced.code, synced.stderr).toBe(0);
    await reading;
    controller.abort();
    expect(seen[0]!.status).toBe('running');
    expect(seen.at(-1)).toEqual({ status: 'finished', records: 30 });
    expect(
      seen.some((entry) => entry.status === 'running' && entry.records > 0 && entry.records < 30),
      JSON.stringify(seen),
    ).toBe(true);
  });

  it('answers only a loopback Host when it has no token (a rebound name is refused)', async () => {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const request = httpGet(new URL('api/queue', server.url), { headers: { Host: host } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
      });
    expect(await status('evil.example:4321')).toBe(403);
    expect(await status('localhost:4321')).toBe(200);
    expect(await status(`127.0.0.1:${server.port}`)).toBe(200);
    expect(await status('[::1]:4321')).toBe(200);
  });

  it('is read-only: anything but GET is refused', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const { status, body } = await api<{ error: { code: string } }>('api/runs', { method });
      expect([method, status, body.error.code]).toEqual([method, 405, 'READ_ONLY']);
    }
  });

  it('never sends a secret: not the connections token, not the registry token', async () => {
    for (const path of [
      'api/connectors',
      'api/outdated',
      'api/catalog',
      'api/runs',
      'api/live',
      'api/queue',
      'api/projects',
      'api/dora/shop',
      'api/dora/shop/pull-requests',
      'api/dora/shop/explain?pullRequest=review%3APullRequest%3A1',
      'api/runs?limit=1000',
    ]) {
      expect((await api(path)).status, path).toBe(200);
    }
    const events = new AbortController();
    const stream = await fetch(new URL('api/live/events', server.url), { signal: events.signal });
    const first = await stream.body!.getReader().read();
    answers.push(new TextDecoder().decode(first.value));
    events.abort();
    expect(answers.at(-1)).toMatch(/^event: live\ndata: \[/);
    const page = await (await fetch(server.url)).text();
    expect(page).toContain('<div id="app">');
    answers.push(page);
    // What this test asked, at least, and whatever the tests before it read (the live events among them).
    expect(answers.length).toBeGreaterThanOrEqual(13);
    for (const answer of answers) {
      expect(answer).not.toContain(CONSOLE_SECRET);
      expect(answer).not.toContain(registry.token);
    }
    // The secret is real: the failing connector put it in its error, and the runtime scrubbed it.
    expect(lake.project.environment.CONSOLE_API_TOKEN).toBe(CONSOLE_SECRET);
    expect(answers.some((answer) => answer.includes('(token [redacted])'))).toBe(true);
  });
});

describe('lake ui: binding and tokens', () => {
  it('refuses another address than loopback without a token', async () => {
    await expectRuntimeError(
      startConsoleServer({
        paths: lake.project.paths,
        environment: lake.project.environment,
        host: '0.0.0.0',
        port: 0,
      }),
      'USAGE',
    );
  });

  it('asks the token of every API request when it has one (Bearer or ?token=), and serves the page without it', async () => {
    const queue: QueueStatusSource = {
      status: async () => ({
        configured: true,
        jobs: [
          {
            id: 'j1',
            name: 'code · shop',
            state: 'queued',
            createdAt: '2026-01-01T00:00:00.000Z',
            startedAt: null,
            error: null,
          },
        ],
        workers: [],
      }),
    };
    const guarded = await startConsoleServer({
      paths: lake.project.paths,
      environment: lake.project.environment,
      host: '0.0.0.0',
      port: 0,
      token: 'the-console-token',
      queue,
    });
    try {
      const url = (path: string) => `http://127.0.0.1:${guarded.port}/${path}`;
      expect((await fetch(url('api/queue'))).status).toBe(401);
      expect((await fetch(url('api/queue'), { headers: { Authorization: 'Bearer the-console-tokeN' } })).status).toBe(
        401,
      );
      expect((await fetch(url('api/queue?token=the-console-toke'))).status).toBe(401);
      const allowed = await fetch(url('api/queue'), { headers: { Authorization: 'Bearer the-console-token' } });
      expect(allowed.status).toBe(200);
      expect(((await allowed.json()) as { jobs: Array<{ id: string }> }).jobs.map((job) => job.id)).toEqual(['j1']);
      expect((await fetch(url('api/live/events?token=wrong'))).status).toBe(401);
      expect((await fetch(url('api/queue?token=the-console-token'))).status).toBe(200);
      expect((await fetch(url(''))).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('lake ui serves until SIGINT, saying where on one line and never showing the token', async () => {
    let output = '';
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        output += chunk.toString();
        callback();
      },
    });
    const before = new Set(process.listeners('SIGINT'));
    const running = runCommand(
      'ui',
      ['ui', '--port', '0', '--token', 'cli-token-81f3', '--json'],
      lake.project.paths.root,
      {
        stdout,
        stderr: stdout,
        stdin: process.stdin,
        environment: lake.project.environment,
      },
    );
    while (!output.includes('\n')) await new Promise((resolve) => setTimeout(resolve, 100));
    const { url, token } = JSON.parse(output) as { url: string; token: boolean };
    expect([url.startsWith('http://127.0.0.1:'), token]).toEqual([true, true]);
    expect((await fetch(`${url}api/queue`)).status).toBe(401);
    expect((await fetch(`${url}api/queue`, { headers: { Authorization: 'Bearer cli-token-81f3' } })).status).toBe(200);
    // Only the listener `lake ui` added: the test runner's own stay untouched.
    for (const listener of process.listeners('SIGINT').filter((entry) => !before.has(entry))) listener('SIGINT');
    expect(await running).toBe(0);
    expect(output).not.toContain('cli-token-81f3');
    await expect(fetch(`${url}api/queue`)).rejects.toThrow();
  });

  it('lake ui --host without a token exits 2 and names the flag', async () => {
    const result = await lake.project.lake('ui', '--host', '0.0.0.0', '--port', '0');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs a token');
  });
});

describe.runIf(chromiumAvailable())('lake ui in Chromium: each page against the database', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    // axe-core is injected as a script: the page's Content-Security-Policy would refuse it.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('Connectors: the installed packages as lake.lock has them, the catalog searchable with secrets marked', async () => {
    await page.goto(`${server.url}#/connectors`);
    await page.locator('[data-package="metric:dora"] [data-field="outdated"]').filter({ hasNotText: '…' }).waitFor();
    const lock = JSON.parse((await lake.project.lake('list', '--json')).stdout) as Array<{
      kind: string;
      name: string;
      version: string;
    }>;
    for (const entry of lock) {
      const row = page.locator(`[data-package="${entry.kind}:${entry.name}"]`);
      expect(await row.locator('[data-field="version"]').textContent()).toBe(entry.version);
      expect(await row.locator('[data-field="verify"]').textContent()).toBe('ok');
      expect(await row.locator('[data-field="signature"]').textContent()).toBe('unsigned');
    }
    expect(await page.locator('[data-package]').count()).toBe(lock.length);
    await page.getByRole('status').filter({ hasText: 'connectors in @lake/registry' }).waitFor();
    expect(await page.locator('[data-connector]').count()).toBe(6);
    await page.getByLabel('Search connectors').fill('jenkins');
    await page
      .getByRole('status')
      .filter({ hasText: /^1 of 6 connectors/ })
      .waitFor();
    await page.locator('[data-connector="jenkins"] summary').click();
    expect(await page.locator('[data-setting="connection.apiToken"] .badge').textContent()).toBe('secret');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'connectors');
  });

  it("Runs: each scope's runs as _lake_runs holds them, the failure with its error, no queue", async () => {
    await page.goto(`${server.url}#/runs`);
    await page.locator('[data-scope]').first().waitFor();
    const store = await lake.openStore();
    const rows = await store.db.selectFrom('_lake_runs').select(['sync_id', 'stream', 'records', 'status']).execute();
    await store.close();
    expect(await page.locator('[data-run]').count()).toBe(rows.length);
    for (const row of rows) {
      const shown = page.locator(`[data-run="${row.sync_id}:${row.stream}"]`);
      expect(await shown.locator('[data-field="status"]').textContent()).toBe(row.status);
      expect(await shown.locator('[data-field="records"]').textContent()).toBe(
        Number(row.records).toLocaleString('en-US'),
      );
    }
    expect(await page.locator('[data-scope="flaky · flaky"] .status-failed').count()).toBe(1);
    expect(await page.locator('[data-scope="flaky · flaky"] code.badge').allTextContents()).toEqual(['STREAM_FAILED']);
    expect(await page.locator('[data-queue="none"]').textContent()).toContain('no queue configured');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'runs');
  });

  it('Runs: follows a running sync to completion through the live view', async () => {
    await page.goto(`${server.url}#/runs`);
    await page.locator('[data-live-connection="open"]').waitFor();
    const before = await page.locator('[data-live-sync]').count();
    const syncing = lake.project.lake('sync', 'api', '--scope', 'slow');
    const stream = page
      .locator('[data-live-sync]')
      .first()
      .locator('[data-live-scope="api · slow"] [data-live-stream="items"]');
    await stream.and(page.locator('[data-status="running"]')).waitFor();
    await screenshot(page, 'runs-live-running');
    await page
      .locator('[data-live-sync][data-status="finished"]')
      .first()
      .locator('[data-live-scope="api · slow"]')
      .waitFor();
    expect((await syncing).code).toBe(0);
    await stream.and(page.locator('[data-status="succeeded"]')).waitFor();
    expect(await stream.getAttribute('data-records')).toBe('30');
    expect(await page.locator('[data-live-sync]').count()).toBe(Math.min(before + 1, 10));
    await screenshot(page, 'runs-live-finished');
  });

  it('DORA: the four metrics as lake metrics reports them, the PRs and deployments of the tables, explain', async () => {
    await page.goto(`${server.url}#/dora`);
    await page.getByRole('link', { name: 'shop' }).click();
    await page.locator('[data-metric="leadTime"]').waitFor();
    const report = JSON.parse((await lake.project.lake('metrics', 'shop', '--json')).stdout) as {
      metrics: Record<string, { value: number | null }>;
    };
    for (const [name, metric] of Object.entries(report.metrics)) {
      expect([name, await page.locator(`[data-metric="${name}"]`).getAttribute('data-value')]).toEqual([
        name,
        String(metric.value ?? ''),
      ]);
    }
    const store = await lake.openStore();
    const pulls = await store.db.selectFrom('project_pr_metrics').select('id').execute();
    const deployments = await store.db.selectFrom('cicd_deployments').select('id').execute();
    await store.close();
    expect(await page.locator('[data-figure="deployments"]').textContent()).toBe(`${deployments.length} deployments`);
    expect(await page.locator('[data-pull-request]').count()).toBe(pulls.length);
    expect(await page.locator('svg.timeline line').count()).toBe(deployments.length);
    // uPlot draws in effects after the render: wait for both charts.
    await page.locator('.chart canvas').nth(1).waitFor();
    expect(await page.locator('.chart canvas').count()).toBe(2);
    await page.getByRole('button', { name: 'Explain Add the third file' }).click();
    await page.locator('[data-explain] [data-span="cycle"]').waitFor();
    expect(await page.locator('[data-explain] [data-span]').count()).toBe(5);
    expect(await page.evaluate('document.activeElement?.id')).toBe('explain-heading');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dora');
  });

  it('is used with the keyboard alone: skip link, then the pages in tab order', async () => {
    await page.goto('about:blank');
    await page.goto(`${server.url}#/connectors`);
    await page.locator('[data-package]').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Skip to content');
    const order: string[] = [];
    for (let step = 0; step < 3; step += 1) {
      await page.keyboard.press('Tab');
      order.push((await page.evaluate<string | undefined>('document.activeElement?.textContent')) ?? '');
    }
    expect(order).toEqual(['Connectors', 'Runs', 'DORA']);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/dora$/);
    // The title follows the page in an effect after its render: wait for it rather than race it.
    await page.waitForFunction("document.title === 'DORA · Lake console'");
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/runs$/);
    await page.locator('h1', { hasText: /^Runs$/ }).waitFor();
    expect(await page.locator('h1').textContent()).toBe('Runs');
  });
});
