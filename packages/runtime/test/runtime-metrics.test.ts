import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openStore } from '@lake/sdk';
import { domainShape } from '@lake/sdk/store';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '@lake/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTick } from '../src/cli/commands/sync-command.ts';
import { installProject } from '../src/install/installer.ts';
import { readLockfile } from '../src/install/lockfile.ts';
import { runSchedules, type ScheduleRun } from '../src/run/schedule.ts';
import { expectRuntimeError } from './support/expect-runtime-error.ts';
import { fixtureConnector, fixtureMetric, packPackage } from './support/fixture-packages.ts';
import { cloneProject, createProject, release, type TestProject } from './support/lake-project.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

const run = promisify(execFile);
const workspace = new URL('../../../', import.meta.url).pathname;
const DORA_STEPS = [
  'deployments',
  'deployment-commits',
  'previous-deployments',
  'commit-diffs',
  'change-lead-time',
  'incidents',
  'incident-deployments',
];

let registry: TestRegistry;
let sdkVersion: string;
let doraVersion: string;

/** `lake sync --json`'s summary line. */
interface SyncSummary {
  type: 'summary';
  outcomes: Array<{ connection: string; scopeId: string; status: string }>;
  projects: Array<{
    project: string;
    metrics: Array<{
      project: string;
      metric: string;
      version: string;
      status: string;
      steps: Array<{ step: string; written: Record<string, number>; deleted: Record<string, number> }>;
      written: number;
      deleted: number;
      error?: string;
    }>;
  }>;
}

function summaryOf(stdout: string): SyncSummary {
  const line = stdout
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as { type: string })
    .find((message) => message.type === 'summary');
  expect(line, stdout).toBeDefined();
  return line as SyncSummary;
}

/** A git repository of `commits` commits, one file each, in a temporary directory. */
async function gitRepository(commits: number): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-metrics-repo-'));
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.org', ...args], { cwd: directory });
  await git('init', '--quiet', '--initial-branch=main');
  for (let index = 1; index <= commits; index += 1) {
    await writeFile(join(directory, `file-${index}.txt`), `line ${index}\n`);
    await git('add', '.');
    await git('commit', '--quiet', '-m', `commit ${index}`, `--date=2026-01-0${index}T10:00:00Z`);
  }
  return directory;
}

function gitConnection(name: string, id: number, scope: string, path: string) {
  return { name, connector: 'git', id, scopes: [{ id: scope, scope: { path, name: scope } }] };
}

beforeAll(async () => {
  registry = await startTestRegistry();
  sdkVersion = (await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'))).version;
  await registry.publishWorkspacePackage(join(workspace, 'connectors/git'));
  doraVersion = (await registry.publishWorkspacePackage(join(workspace, 'packages/metrics-dora'))).version;
  for (const fixture of [
    fixtureConnector({ name: 'alpha', version: '1.0.0', sdk: sdkVersion }),
    fixtureMetric({ name: 'echo', version: '1.0.0' }),
    fixtureMetric({ name: 'echo', version: '1.1.0' }),
    fixtureMetric({ name: 'future', version: '2.0.0', contract: '^2.0.0' }),
    fixtureMetric({ name: 'broken', version: '1.0.0', failRun: 'the broken metric failed on purpose' }),
  ]) {
    await registry.publish(fixture);
  }
});

afterAll(async () => {
  await registry?.stop();
});

describe('metric packages: installed, pinned and verified like connectors', () => {
  it('pins a metric in lake.lock (exact version, integrity, contract, closure) and lists it', async () => {
    const project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { alpha: '1.0.0' },
      extra: { metrics: { echo: '^1.0.0' } },
    });
    const outcome = await installProject(project.paths, {
      release: release('1.0.0', { alpha: '1.0.0' }),
      environment: project.environment,
    });
    expect(outcome.changes.map((change) => [change.kind, change.name, change.action, change.to])).toEqual([
      ['connector', 'alpha', 'added', '1.0.0'],
      ['metric', 'echo', 'added', '1.1.0'],
    ]);
    const lock = (await readLockfile(project.paths))!;
    expect(Object.keys(lock.connectors)).toEqual(['alpha']);
    expect(Object.keys(lock.metrics ?? {})).toEqual(['echo']);
    const echo = lock.metrics!.echo!;
    expect(echo.package).toBe('@lake/metrics-echo');
    expect(echo.requested).toBe('^1.0.0');
    expect(echo.source).toBe('registry');
    expect(echo.version).toBe('1.1.0');
    expect(echo.contract).toBe('^1.0.0');
    expect(echo.bin).toBe('cli.js');
    expect(echo.integrity).toMatch(/^sha512-/);
    expect(echo.integrity).toBe(echo.packages['node_modules/@lake/metrics-echo']!.integrity);
    expect(echo.resolved).toBe(`${registry.url}@lake/metrics-echo/-/metrics-echo-1.1.0.tgz`);
    expect(echo.filesDigest).toMatch(/^sha256-/);
    // The written lock says the same in its own section.
    expect(Object.keys((parse(await project.read('lake.lock')) as { metrics: object }).metrics)).toEqual(['echo']);
    expect((await project.installedDirectories()).map((name) => name.replace(/-[0-9a-f]{12}$/, ''))).toEqual([
      'alpha@1.0.0',
      'metric.echo@1.1.0',
    ]);

    const listed = await project.lake('list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as Array<Record<string, unknown>>).map((row) => [
        row.name,
        row.kind,
        row.version,
        row.installed,
        row.package,
      ]),
    ).toEqual([
      ['alpha', 'connector', '1.0.0', true, '@lake/connector-alpha'],
      ['echo', 'metric', '1.1.0', true, '@lake/metrics-echo'],
    ]);
    const table = await project.lake('list');
    expect(table.stdout).toMatch(/alpha +1\.0\.0 +registry +lake\.yaml 1\.0\.0 +yes/);
    expect(table.stdout).toMatch(/metric echo +1\.1\.0 +registry +lake\.yaml \^1\.0\.0 +yes/);
    const verified = await project.lake('verify', '--json');
    expect(verified.code, verified.stdout).toBe(0);
    expect(
      (JSON.parse(verified.stdout) as Array<{ name: string; kind: string; ok: boolean }>).map((r) => [
        r.kind,
        r.name,
        r.ok,
      ]),
    ).toEqual([
      ['connector', 'alpha', true],
      ['metric', 'echo', true],
    ]);
    const status = await project.lake('status');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('metrics installed');
    expect(status.stdout).toContain('echo 1.1.0: no project runs it');

    // A fresh checkout installs exactly the lock.
    const checkout = await cloneProject(project);
    const frozen = await checkout.lake('install', '--frozen', '--json');
    expect(frozen.code, frozen.stderr).toBe(0);
    expect((await readLockfile(checkout.paths))!.metrics!.echo).toEqual(echo);
  });

  it('refuses a contract-incompatible metric with the connector code, installing nothing', async () => {
    const project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: {},
      extra: { metrics: { future: '2.0.0' } },
    });
    const error = await expectRuntimeError(
      installProject(project.paths, { release: release('1.0.0', {}), environment: project.environment }),
      'CONNECTOR_INCOMPATIBLE',
    );
    expect(error.message).toContain('@lake/metrics-future@2.0.0 needs connector contract ^2.0.0');
    expect(await readLockfile(project.paths)).toBeUndefined();
    expect(await project.installedDirectories()).toEqual([]);
  });

  it('refuses a metric whose package names another kind, and a "shipped" metric this runtime does not ship', async () => {
    const wrongKind = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: {},
      extra: { metrics: { echo: 'shipped' } },
    });
    const unshipped = await expectRuntimeError(
      installProject(wrongKind.paths, { release: release('1.0.0', {}), environment: wrongKind.environment }),
      'CONNECTOR_UNKNOWN',
    );
    expect(unshipped.message).toContain('ships no "echo" metric');
    const shipping = { ...release('1.0.0', {}), shippedMetrics: { echo: '1.0.0' } };
    const installed = await installProject(wrongKind.paths, { release: shipping, environment: wrongKind.environment });
    expect(installed.changes.map((change) => [change.kind, change.name, change.to])).toEqual([
      ['metric', 'echo', '1.0.0'],
    ]);
    expect((await readLockfile(wrongKind.paths))!.metrics!.echo!.requested).toBe('shipped');
  });

  it('refuses a tampered metric tarball with the connector code, installing nothing', async () => {
    await registry.publish(fixtureMetric({ name: 'sealed', version: '1.0.0' }));
    const original = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: {},
      extra: { metrics: { sealed: '1.0.0' } },
    });
    await installProject(original.paths, { release: release('1.0.0', {}), environment: original.environment });
    const locked = (await readLockfile(original.paths))!.metrics!.sealed!;
    const forged = await packPackage({
      ...fixtureMetric({ name: 'sealed', version: '1.0.0' }),
      files: { 'cli.js': '#!/usr/bin/env node\nconsole.log("forged");\n' },
    });
    await writeFile(join(registry.storage, '@lake/metrics-sealed/metrics-sealed-1.0.0.tgz'), forged);
    const freshCache = await mkdtemp(join(tmpdir(), 'lake-empty-cache-'));
    const checkout = await cloneProject(original, freshCache);
    const refused = await expectRuntimeError(
      installProject(checkout.paths, {
        frozen: true,
        release: release('1.0.0', {}),
        environment: checkout.environment,
        cacheDirectory: freshCache,
      }),
      'INTEGRITY_MISMATCH',
    );
    expect(refused.message).toContain('@lake/metrics-sealed@1.0.0');
    expect(refused.message).toContain(`expected ${locked.integrity}`);
    expect(await checkout.installedDirectories()).toEqual([]);
    await rm(freshCache, { recursive: true, force: true });
  });
});

describe('lake sync runs the metrics of the projects it synced; lake metrics reports them', () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { alpha: '1.0.0' },
      connections: [
        {
          name: 'api',
          connector: 'alpha',
          id: 1,
          settings: { token: `\${FIXTURE_TOKEN}` },
          scopes: [
            { id: 'first', scope: { label: 'first', count: 3 } },
            { id: 'second', scope: { label: 'second', count: 2 } },
          ],
        },
        {
          name: 'other-api',
          connector: 'alpha',
          id: 2,
          settings: { token: `\${FIXTURE_TOKEN}` },
          scopes: [{ id: 'third', scope: { label: 'third', count: 1 } }],
        },
      ],
      extra: {
        metrics: { echo: '1.0.0', broken: '1.0.0' },
        projects: {
          shop: { scopes: [{ connection: 'api', scope: 'first' }], metrics: ['echo'] },
          warehouse: { scopes: [{ connection: 'api', scope: 'second' }], metrics: ['echo'] },
          elsewhere: { scopes: [{ connection: 'other-api', scope: 'third' }], metrics: ['echo'] },
          quiet: { scopes: [{ connection: 'other-api', scope: 'third' }], metrics: [] },
          fragile: { scopes: [{ connection: 'other-api', scope: 'third' }], metrics: ['broken'] },
        },
      },
    });
    project.environment.FIXTURE_TOKEN = 'fixture-token-metrics-1';
    const installed = await project.lake('install');
    expect(installed.code, installed.stderr).toBe(0);
  });

  it('runs each metric of the projects whose scopes were synced, and only those', async () => {
    const synced = await project.lake('sync', 'api', '--json');
    expect(synced.code, synced.stderr).toBe(0);
    const summary = summaryOf(synced.stdout);
    expect(summary.outcomes.map((outcome) => [outcome.scopeId, outcome.status])).toEqual([
      ['first', 'succeeded'],
      ['second', 'succeeded'],
    ]);
    expect(
      summary.projects.map((entry) =>
        entry.metrics.map((metric) => [
          metric.project,
          metric.metric,
          metric.version,
          metric.status,
          metric.steps,
          metric.written,
          metric.deleted,
        ]),
      ),
    ).toEqual([
      [
        [
          'shop',
          'echo',
          '1.0.0',
          'succeeded',
          [{ step: 'echo', written: { echo_rows: 4 }, deleted: { echo_rows: 1 } }],
          4,
          1,
        ],
      ],
      [
        [
          'warehouse',
          'echo',
          '1.0.0',
          'succeeded',
          [{ step: 'echo', written: { echo_rows: 9 }, deleted: { echo_rows: 1 } }],
          9,
          1,
        ],
      ],
    ]);
    // The metric processes ran once per project, in lake.yaml's order.
    expect(await project.read('.lake/metric-runs.txt')).toBe('echo shop\necho warehouse\n');
    // Their events are JSON lines of their own.
    const events = synced.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; project?: string; outcome?: { project: string } })
      .filter((event) => event.type.startsWith('metric-'))
      .map((event) => `${event.type} ${event.project ?? event.outcome?.project}`);
    expect(events).toEqual(['metric-start shop', 'metric-end shop', 'metric-start warehouse', 'metric-end warehouse']);
  });

  it('fails the sync when a metric fails, naming the project and the metric; the other projects still run', async () => {
    await rm(join(project.paths.root, '.lake/metric-runs.txt'), { force: true });
    const synced = await project.lake('sync', 'other-api');
    expect(synced.code).toBe(1);
    expect(synced.stdout).toContain(
      'metric broken of project fragile: exited with code 1: the broken metric failed on purpose',
    );
    expect(synced.stderr).toContain('elsewhere · metric echo 1.0.0: running');
    expect(synced.stderr).toContain('elsewhere · metric echo: 1 step(s), 9 row(s) written, 1 deleted');
    expect(synced.stdout).toMatch(/elsewhere\s+│?\s*echo 1\.0\.0/);
    expect(await project.read('.lake/metric-runs.txt')).toBe('echo elsewhere\n');
    const json = summaryOf((await project.lake('sync', 'other-api', '--json')).stdout);
    expect(
      json.projects.map((entry) => [entry.project, entry.metrics.map((metric) => [metric.metric, metric.status])]),
    ).toEqual([
      ['elsewhere', [['echo', 'succeeded']]],
      ['fragile', [['broken', 'failed']]],
    ]);
    expect(json.projects[1]!.metrics[0]!.error).toBe('exited with code 1: the broken metric failed on purpose');
  });

  it('runs the metrics after a schedule tick too, and the tick line names them', async () => {
    const scheduled = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { alpha: '1.0.0' },
      connections: [
        {
          name: 'api',
          connector: 'alpha',
          id: 1,
          settings: { token: `\${FIXTURE_TOKEN}` },
          scopes: [{ id: 'first', scope: { label: 'first', count: 3 } }],
        },
      ],
      extra: {
        metrics: { echo: '1.0.0' },
        projects: { shop: { scopes: [{ connection: 'api', scope: 'first' }] } },
        schedules: [{ name: 'every-second', cron: '* * * * * *' }],
      },
    });
    scheduled.environment.FIXTURE_TOKEN = 'fixture-token-metrics-2';
    expect((await scheduled.lake('install')).code).toBe(0);
    const controller = new AbortController();
    const runs: ScheduleRun[] = [];
    await runSchedules(scheduled.paths, {
      environment: scheduled.environment,
      signal: controller.signal,
      onRun: (run) => {
        runs.push(run);
        controller.abort();
      },
    });
    const [tick] = runs;
    expect(tick?.error).toBeUndefined();
    expect(
      tick!.projects.map((project) => project.metrics.map((metric) => [project.project, metric.metric, metric.status])),
    ).toEqual([[['shop', 'echo', 'succeeded']]]);
    expect(renderTick(tick!.schedule, tick!.startedAt, tick!.outcomes, tick!.projects)).toMatch(
      /\n {2}shop · metric echo: 1 step\(s\), 4 row\(s\) written, 1 deleted in /,
    );
  });

  it("lake metrics runs each metric's report for one project, or every project", async () => {
    const one = await project.lake('metrics', 'shop', '--from', '2026-01-01', '--to', '2026-02-01', '--bands', '2021');
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe('report of echo 1.0.0 for shop from 2026-01-01 to 2026-02-01 bands 2021\n');

    const oneJson = await project.lake('metrics', 'warehouse', '--json');
    expect(oneJson.code, oneJson.stderr).toBe(0);
    expect(JSON.parse(oneJson.stdout)).toEqual({
      metric: 'echo',
      version: '1.0.0',
      project: 'warehouse',
      from: null,
      to: null,
      bands: null,
    });

    const quiet = await project.lake('metrics', 'quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('project quiet has no metrics');

    const unknown = await project.lake('metrics', 'nowhere');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'no project named "nowhere" in lake.yaml (projects: shop, warehouse, elsewhere, quiet, fragile)',
    );

    const every = await project.lake('metrics', '--json', '--bands', '2023');
    expect(every.code, every.stderr).toBe(0);
    expect(
      (JSON.parse(every.stdout) as Array<{ project: string; metric: string; bands: string }>).map((report) => [
        report.project,
        report.metric,
        report.bands,
      ]),
    ).toEqual([
      ['shop', 'echo', '2023'],
      ['warehouse', 'echo', '2023'],
      ['elsewhere', 'echo', '2023'],
      // Its `run` fails, its `report` works.
      ['fragile', 'broken', '2023'],
    ]);
  });
});

/** A password PostgreSQL's trust authentication ignores: it must never reach the output. */
const DATABASE_PASSWORD = 'pw-never-printed-5e1d';

/** The scratch database's URL as lake.yaml reaches it, with a password where the server ignores one. */
function withPassword(url: string): string {
  return url.startsWith('postgres') ? url.replace('://postgres@', `://postgres:${DATABASE_PASSWORD}@`) : url;
}

describe.each(testDialects())('the real @lake/metrics-dora after a git sync on %s', (dialect) => {
  let database: ScratchDatabase;

  beforeAll(async () => {
    database = await createScratchDatabase(dialect);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('runs every DORA step for the project and reports what it wrote', async () => {
    const repository = await gitRepository(3);
    const project = await createProject({
      registryUrl: registry.url,
      token: registry.token,
      connectors: { git: 'shipped' },
      connections: [gitConnection('code', 1, 'shop', repository)],
      extra: {
        // A reference: the value substituted is a secret the output must not show.
        database: '${LAKE_TEST_DATABASE_URL}',
        metrics: { dora: 'shipped' },
        projects: { shop: { description: 'the shop', scopes: [{ connection: 'code', scope: 'shop' }] } },
      },
    });
    project.environment.LAKE_TEST_DATABASE_URL = withPassword(database.url);
    if (dialect === 'postgres') expect(project.environment.LAKE_TEST_DATABASE_URL).toContain(DATABASE_PASSWORD);
    const installed = await project.lake('install', '--json');
    expect(installed.code, installed.stderr).toBe(0);
    const lock = (await readLockfile(project.paths))!;
    expect(lock.metrics!.dora!.version).toBe(doraVersion);
    expect(lock.metrics!.dora!.requested).toBe('shipped');
    expect(lock.metrics!.dora!.packages['node_modules/@lake/sdk']!.version).toBe(sdkVersion);

    // The sync writes the project's rows from the git scope's domainScopes, then runs the
    // metric, which finds the project and (no CI scope yet) no deployments.
    const first = await project.lake('sync', '--json');
    expect(first.code, first.stderr).toBe(0);
    const early = summaryOf(first.stdout).projects[0]!.metrics[0]!;
    expect([early.project, early.metric, early.status]).toEqual(['shop', 'dora', 'succeeded']);
    const store = await openStore(database.url);
    const repos = await store.db.selectFrom('repos').select('id').execute();
    expect(repos).toHaveLength(1);
    expect(await store.db.selectFrom('project_mapping').select(['project_name', 'table', 'row_id']).execute()).toEqual([
      { project_name: 'shop', table: 'repos', row_id: String(repos[0]!.id) },
    ]);
    expect(await store.db.selectFrom('projects').select(['name', 'description']).execute()).toEqual([
      { name: 'shop', description: 'the shop' },
    ]);
    expect(await store.db.selectFrom('cicd_deployments').select('id').execute()).toEqual([]);

    // Two deployments of a CI scope, as a CI connector would write them, mapped to the project by hand.
    const sha = (await run('git', ['rev-parse', 'HEAD'], { cwd: repository })).stdout.trim();
    const finished = new Date('2026-01-04T12:00:00Z');
    await store
      .writer()
      .upsert(domainShape('project_mapping'), [{ project_name: 'shop', table: 'cicd_scopes', row_id: 'ci:1' }]);
    const pipelines = ['ci:pipeline:1', 'ci:pipeline:2'];
    await store.writer().upsert(
      domainShape('cicd_pipelines'),
      pipelines.map((id, index) => ({
        id,
        name: `deploy ${index + 1}`,
        result: 'SUCCESS',
        status: 'DONE',
        type: 'DEPLOYMENT',
        environment: 'PRODUCTION',
        cicd_scope_id: 'ci:1',
        created_date: finished,
        started_date: finished,
        finished_date: finished,
      })),
    );
    await store.writer().upsert(
      domainShape('cicd_pipeline_commits'),
      pipelines.map((pipeline_id) => ({ pipeline_id, commit_sha: sha, repo_id: String(repos[0]!.id), branch: 'main' })),
    );
    await store.close();

    const synced = await project.lake('sync', '--json');
    expect(synced.code, synced.stderr).toBe(0);
    const shown = await project.lake('sync');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stderr).toContain('shop · metric dora');
    for (const output of [first, synced, shown]) {
      expect(output.stdout + output.stderr).not.toContain(DATABASE_PASSWORD);
    }
    const dora = summaryOf(synced.stdout).projects[0]!.metrics[0]!;
    expect([dora.project, dora.metric, dora.version, dora.status, dora.error]).toEqual([
      'shop',
      'dora',
      doraVersion,
      'succeeded',
      undefined,
    ]);
    expect(dora.steps.map((step) => step.step)).toEqual(DORA_STEPS);
    const reopened = await openStore(database.url);
    const count = async (table: string) =>
      Number(
        (await reopened.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst())!.n,
      );
    const deployments = await count('cicd_deployments');
    const deploymentCommits = await count('cicd_deployment_commits');
    await reopened.close();
    expect(deployments).toBe(pipelines.length);
    expect(dora.steps[0]!.written.cicd_deployments).toBe(deployments);
    expect(dora.steps[1]!.written.cicd_deployment_commits).toBe(deploymentCommits);
    expect(deploymentCommits).toBeGreaterThan(0);
    expect(dora.written).toBe(
      dora.steps.reduce((sum, step) => sum + Object.values(step.written).reduce((s, n) => s + n, 0), 0),
    );
    await rm(repository, { recursive: true, force: true });
  });
});
