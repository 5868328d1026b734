// biome-ignore-all lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@lake/sdk';
import {
  addUser,
  generateSigningKey,
  packAndPublish,
  packageManagerEnvironment,
  type RunningRegistry,
  startRegistry,
} from '@lake-tools/registry-server';
import { publishablePackages } from '@lake-tools/release';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GithubDataset } from '../../../connectors/github/test/fake-github/dataset.ts';
import { type FakeGithub, startFakeGithub } from '../../../connectors/github/test/fake-github/fake-github.ts';
import { isAncestor, type ReplicaRepository, replicateRepository } from './support/replica-repository.ts';

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
const lakeCli = join(workspace, 'packages/runtime/dist/cli.js');
const TOKEN = 'ghp_valid';
const DAY = 86_400_000;

/** One project, two sources: GitHub's pull requests, deployments and issues, and the repository's own commit graph from git. */
describe('DORA end to end: a git repository and GitHub in one project, synced and reported by the lake runtime', () => {
  let registry: RunningRegistry;
  let registryDirectory: string;
  let runtime: string;
  let environment: NodeJS.ProcessEnv;
  let dataset: GithubDataset;
  let github: FakeGithub;
  let replica: ReplicaRepository;
  /** Successful production deployments, oldest first: their real sha and when they finished. */
  let production: Array<{ id: number; sha: string; finishedAt: number }>;

  beforeAll(async () => {
    registryDirectory = await mkdtemp(join(tmpdir(), 'lake-dora-registry-'));
    registry = await startRegistry({ directory: registryDirectory, port: 0 });
    const { token } = await addUser(registry.url, 'dora', randomBytes(12).toString('hex'));
    const { key } = generateSigningKey();
    const packages = await publishablePackages(workspace);
    await Promise.all(packages.map((pkg) => packAndPublish(registry.url, token, pkg.directory, { signWith: [key] })));

    // A month-old repository: pull requests merged along its history, then production
    // deployments (every other deployment; the others go to staging) of commits spread over it.
    dataset = new GithubDataset({
      // One workflow run, `CI`: the `Deploy to production` runs would be deployments of made-up commits.
      sizes: { issues: 16, pullRequests: 24, commits: 12, workflowRuns: 1, deployments: 10 },
      start: new Date(Date.now() - 30 * DAY),
    });
    replica = await replicateRepository(dataset);
    for (const issue of dataset.issues) {
      const pull = issue.pull;
      if (pull?.mergeCommitSha) pull.mergeCommitSha = replica.realSha(pull.mergeCommitSha);
    }
    const productionRecords = dataset.deployments.filter((deployment) => deployment.production);
    dataset.deployments.forEach((deployment) => {
      const rank = productionRecords.indexOf(deployment);
      const position =
        rank >= 0
          ? Math.floor(((rank + 1) * replica.mainline.length) / (productionRecords.length + 1))
          : replica.mainline.length - 1;
      deployment.sha = replica.mainline[position]!;
    });
    production = productionRecords
      .map((deployment) => ({
        id: deployment.id,
        sha: deployment.sha,
        ended: deployment.statuses.filter((status) => status.state !== 'inactive').at(-1)!,
      }))
      .filter((deployment) => deployment.ended.state === 'success')
      .map((deployment) => ({
        id: deployment.id,
        sha: deployment.sha,
        // GitHub's timestamps are whole seconds.
        finishedAt: Math.floor(deployment.ended.createdAt / 1000) * 1000,
      }))
      .sort((a, b) => a.finishedAt - b.finishedAt);
    github = await startFakeGithub(dataset, { tokens: { [TOKEN]: 'alice' } });

    runtime = await mkdtemp(join(tmpdir(), 'lake-dora-runtime-'));
    await writeFile(
      join(runtime, 'lake.yaml'),
      JSON.stringify(
        {
          registry: { token: '${LAKE_REGISTRY_TOKEN}' },
          trust: { keys: ['${LAKE_TRUSTED_KEY}'] },
          connectors: { git: 'shipped', github: 'shipped' },
          metrics: { dora: 'shipped' },
          connections: [
            {
              name: 'hub',
              connector: 'github',
              id: 1,
              settings: { endpoint: github.url, tokens: ['${GITHUB_TOKEN}'] },
              scopes: [{ id: 'shop', scope: { fullName: dataset.fullName } }],
            },
            {
              name: 'code',
              connector: 'git',
              id: 1,
              settings: { cacheDir: join(runtime, 'git-cache') },
              scopes: [
                {
                  id: 'shop',
                  // The clone's commits go under the GitHub repository's id, as DevLake's gitextractor does.
                  scope: { url: `file://${replica.directory}`, repoId: `github:GithubRepo:1:${dataset.repoId}` },
                },
              ],
            },
          ],
          projects: {
            shop: {
              scopes: [
                { connection: 'hub', scope: 'shop' },
                { connection: 'code', scope: 'shop' },
              ],
            },
          },
        },
        null,
        2,
      ), // JSON is YAML
    );
    environment = {
      ...packageManagerEnvironment(),
      LAKE_REGISTRY_URL: registry.url,
      LAKE_REGISTRY_TOKEN: token,
      LAKE_TRUSTED_KEY: key.publicKey,
      LAKE_PREFER_OFFLINE: '1',
      GITHUB_TOKEN: TOKEN,
    };
  });

  afterAll(async () => {
    await github?.close();
    await registry?.close();
    for (const directory of [registryDirectory, runtime, replica?.directory]) {
      if (directory) await rm(directory, { recursive: true, force: true });
    }
  });

  it('installs both connectors and the metric, syncs them into one project and runs the metric after the scopes', async () => {
    const install = await lake(['install'], runtime, environment);
    expect(install.code, install.output).toBe(0);
    expect(install.output).toMatch(/metric dora +added +\d+\.\d+\.\d+ +registry/);

    const sync = await lake(['sync'], runtime, environment);
    expect(sync.code, sync.output).toBe(0);
    expect(sync.output).not.toContain(TOKEN);

    const store = await openStore('sqlite:.lake/lake.db', { cwd: runtime });
    try {
      const repoId = `github:GithubRepo:1:${dataset.repoId}`;
      const mapping = await store.db
        .selectFrom('project_mapping')
        .select(['table', 'row_id'])
        .where('project_name', '=', 'shop')
        .orderBy('table')
        .execute();
      // Both scopes stand for the same repository: one row per table.
      expect(mapping).toEqual([
        { table: 'boards', row_id: repoId },
        { table: 'cicd_scopes', row_id: repoId },
        { table: 'repos', row_id: repoId },
      ]);
      // Git's commit graph under GitHub's repository id: every commit the replica has.
      const graph = await store.db
        .selectFrom('repo_commits')
        .select(({ fn }) => fn.countAll<number>().as('count'))
        .where('repo_id', '=', repoId)
        .where('commit_sha', 'in', replica.mainline)
        .executeTakeFirstOrThrow();
      expect(Number(graph.count)).toBe(new Set(replica.mainline).size);

      // Each merged pull request's deployment, found with git itself: the first successful
      // production deployment (after the first, whose range is unknown) whose commit reaches
      // the merge commit and whose previous one does not.
      const expected = new Map<string, number | null>();
      for (const issue of dataset.issues) {
        const pull = issue.pull;
        if (!pull?.mergeCommitSha || pull.mergedAt === null) continue;
        let deployedAt: number | null = null;
        for (let index = 1; index < production.length; index += 1) {
          const reaches = await isAncestor(replica.directory, pull.mergeCommitSha, production[index]!.sha);
          const before = await isAncestor(replica.directory, pull.mergeCommitSha, production[index - 1]!.sha);
          if (reaches && !before) {
            deployedAt = production[index]!.finishedAt;
            break;
          }
        }
        expected.set(`github:GithubPullRequest:1:${pull.id}`, deployedAt);
      }
      const deployedCount = [...expected.values()].filter((at) => at !== null).length;
      expect(deployedCount, 'the history must give some pull requests a deployment').toBeGreaterThan(2);
      expect(deployedCount, 'and leave some without one').toBeLessThan(expected.size);

      const metrics = await store.db
        .selectFrom('project_pr_metrics')
        .select(['id', 'pr_deployed_date'])
        .where('project_name', '=', 'shop')
        .execute();
      const actual = new Map(
        metrics
          .filter((row) => expected.has(String(row.id)))
          .map((row) => [
            String(row.id),
            row.pr_deployed_date === null ? null : new Date(String(row.pr_deployed_date)).getTime(),
          ]),
      );
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    } finally {
      await store.close();
    }
  });

  it('prints the report: the four metrics with their bands and the counts behind them', async () => {
    const report = await lake(['metrics', 'shop', '--json'], runtime, environment);
    expect(report.code, report.output).toBe(0);
    const parsed = JSON.parse(report.stdout) as {
      project: string;
      metrics: Record<
        string,
        { value: number | null; band: { level: string } | null; counts: Record<string, unknown> }
      >;
    };
    expect(parsed.project).toBe('shop');
    const { deploymentFrequency, leadTime, changeFailureRate, recoveryTime } = parsed.metrics;
    expect(deploymentFrequency?.counts.deployments).toBe(production.length);
    expect(deploymentFrequency?.band?.level).toMatch(/^(elite|high|medium|low)$/);
    const merged = dataset.issues.filter((issue) => issue.pull?.mergedAt != null).length;
    expect(leadTime?.counts.pullRequestsMerged).toBe(merged);
    expect(Number(leadTime?.counts.pullRequestsMergedWithDeployTime)).toBeGreaterThan(2);
    expect(leadTime?.value).toBeGreaterThan(0);
    expect(changeFailureRate?.counts.deployments).toBe(production.length);
    expect(recoveryTime).toBeDefined();

    const table = await lake(['metrics', 'shop'], runtime, environment);
    expect(table.code, table.output).toBe(0);
    console.log(table.stdout); // what an operator sees, in the test's log
    for (const heading of ['Deployment frequency', 'Lead time', 'Change failure rate']) {
      expect(table.stdout.toLowerCase()).toContain(heading.toLowerCase());
    }
  });
});

/** Runs the lake CLI asynchronously (the registry and the fake GitHub answer from this process meanwhile). */
function lake(
  args: string[],
  cwd: string,
  environment: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [lakeCli, ...args], { cwd, env: environment });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, output }));
  });
}
