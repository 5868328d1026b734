import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openStore, type Store } from '@lake/sdk';
import { domainShape } from '@lake/sdk/store';
import { fixtureConnector } from './fixture-packages.ts';
import { createProject, type TestProject } from './lake-project.ts';
import type { TestRegistry } from './test-registry.ts';

const run = promisify(execFile);
const workspace = new URL('../../../../', import.meta.url).pathname;

/** The secret value the `api` and `flaky` connections' token resolves to: no console answer may hold it. */
export const CONSOLE_SECRET = 'console-secret-7c1f9e2ab44d';

export interface ConsoleLake {
  project: TestProject;
  databaseUrl: string;
  /** The repository the `code` connection syncs. */
  repository: string;
  openStore(): Promise<Store>;
}

/**
 * A lake filled by real syncs for the console's tests: a git repository (`code`, project
 * `shop` with the dora metric), a fixture API (`api`, scope `quick` of 5 records, scope `slow` of 30 at
 * 100 ms each, its token a secret) and one that fails (`flaky`); two production deployments and
 * a merged pull request written as a CI and a review connector would, then the metric run again.
 * In `.lake/lake.db` (SQLite), or in the database `databaseUrl` names.
 */
export async function createConsoleLake(
  registry: TestRegistry,
  options: { databaseUrl?: string } = {},
): Promise<ConsoleLake> {
  const sdk = (await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'))).version;
  await registry.publishWorkspacePackage(join(workspace, 'connectors/git'));
  await registry.publishWorkspacePackage(join(workspace, 'packages/metrics-dora'));
  // The integration registry, for the catalog (`lake search`).
  await registry.publishWorkspacePackage(join(workspace, 'registry'));
  await registry.publish(fixtureConnector({ name: 'alpha', version: '1.0.0', sdk }));
  await registry.publish(fixtureConnector({ name: 'beta', version: '1.0.0', sdk, failAfter: 2 }));
  const repository = await gitRepository();
  // biome-ignore lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
  const token = { token: '${CONSOLE_API_TOKEN}' };
  const project = await createProject({
    registryUrl: registry.url,
    token: registry.token,
    connectors: { git: 'shipped', alpha: '1.0.0', beta: '1.0.0' },
    connections: [
      { name: 'code', connector: 'git', id: 1, scopes: [{ id: 'shop', scope: { path: repository, name: 'shop' } }] },
      {
        name: 'api',
        connector: 'alpha',
        id: 2,
        settings: token,
        // Batches of 5: the slow scope commits, and reports its progress, six times as it runs.
        options: { batchSize: 5 },
        scopes: [
          { id: 'quick', scope: { label: 'quick', count: 5 } },
          { id: 'slow', scope: { label: 'slow', count: 30, delayMs: 100 } },
        ],
      },
      {
        name: 'flaky',
        connector: 'beta',
        id: 3,
        settings: token,
        scopes: [{ id: 'flaky', scope: { label: 'flaky', count: 5 } }],
      },
    ],
    extra: {
      metrics: { dora: 'shipped' },
      projects: { shop: { description: 'the shop', scopes: [{ connection: 'code', scope: 'shop' }] } },
      ...(options.databaseUrl ? { database: options.databaseUrl } : {}),
    },
  });
  project.environment.CONSOLE_API_TOKEN = CONSOLE_SECRET;
  await expectCode(project.lake('install'), 0);
  await expectCode(project.lake('sync', 'code'), 0);
  await expectCode(project.lake('sync', 'api', '--scope', 'quick'), 0);
  await expectCode(project.lake('sync', 'flaky'), 1);
  const databaseUrl = options.databaseUrl ?? `sqlite:${join(project.paths.lakeDirectory, 'lake.db')}`;
  const lake: ConsoleLake = { project, databaseUrl, repository, openStore: () => openStore(databaseUrl) };
  await writeDeliveries(lake);
  await expectCode(project.lake('sync', 'code'), 0);
  return lake;
}

async function expectCode(result: Promise<{ code: number; stdout: string; stderr: string }>, code: number) {
  const outcome = await result;
  if (outcome.code !== code)
    throw new Error(`lake exited ${outcome.code}, not ${code}: ${outcome.stderr}${outcome.stdout}`);
}

async function gitRepository(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-console-repo-'));
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.org', ...args], { cwd: directory });
  await git('init', '--quiet', '--initial-branch=main');
  for (let index = 1; index <= 3; index += 1) {
    await writeFile(join(directory, `file-${index}.txt`), `line ${index}\n`);
    await git('add', '.');
    await git('commit', '--quiet', '-m', `commit ${index}`, `--date=${daysAgo(20 - index).toISOString()}`);
  }
  return directory;
}

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}

/** Two production deployments (the first and the last commit) and a PR merged between them. */
async function writeDeliveries(lake: ConsoleLake): Promise<void> {
  const shas = (await run('git', ['rev-list', '--reverse', 'HEAD'], { cwd: lake.repository })).stdout
    .trim()
    .split('\n');
  const store = await lake.openStore();
  try {
    const repoId = String((await store.db.selectFrom('repos').select('id').executeTakeFirstOrThrow()).id);
    const writer = store.writer();
    await writer.upsert(domainShape('project_mapping'), [
      { project_name: 'shop', table: 'cicd_scopes', row_id: 'ci:1' },
    ]);
    const deployments = [
      { id: 'ci:pipeline:1', sha: shas[0]!, finished: daysAgo(10) },
      { id: 'ci:pipeline:2', sha: shas[2]!, finished: daysAgo(3) },
    ];
    await writer.upsert(
      domainShape('cicd_pipelines'),
      deployments.map((deployment, index) => ({
        id: deployment.id,
        name: `deploy ${index + 1}`,
        result: 'SUCCESS',
        status: 'DONE',
        type: 'DEPLOYMENT',
        environment: 'PRODUCTION',
        cicd_scope_id: 'ci:1',
        created_date: deployment.finished,
        started_date: deployment.finished,
        finished_date: deployment.finished,
      })),
    );
    await writer.upsert(
      domainShape('cicd_pipeline_commits'),
      deployments.map((deployment) => ({
        pipeline_id: deployment.id,
        commit_sha: deployment.sha,
        repo_id: repoId,
        repo_url: lake.repository,
        branch: 'main',
      })),
    );
    await writer.upsert(domainShape('pull_requests'), [
      {
        id: 'review:PullRequest:1',
        base_repo_id: repoId,
        head_repo_id: repoId,
        status: 'MERGED',
        title: 'Add the third file',
        url: 'https://review.invalid/pull/1',
        author_id: 'review:Account:1',
        author_name: 'Ada',
        pull_request_key: 1,
        created_date: daysAgo(8),
        merged_date: daysAgo(5),
        merge_commit_sha: shas[2]!,
        base_ref: 'main',
        head_ref: 'third',
      },
    ]);
  } finally {
    await store.close();
  }
}
