import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/**
 * The benchmark's JSON lines. Asynchronous on purpose: a synchronous child process blocks this
 * worker's event loop for the whole run, and vitest's worker RPC times out behind it.
 */
async function bench(args: string[]): Promise<Array<Record<string, unknown>>> {
  const { stdout } = await run(process.execPath, [main, '--json', ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('pnpm bench --json', () => {
  // Checks what the benchmark prints, never how fast anything was.
  it('prints the GitLab run: merge requests, requests, time, the floor (requests ÷ rate) and the ratio', async () => {
    const [line] = await bench([
      '--only',
      'gitlab',
      '--gitlab-projects',
      '2',
      '--gitlab-merge-requests',
      '5',
      '--gitlab-latency',
      '1',
      '--gitlab-rate',
      '500',
    ]);
    expect(line).toMatchObject({
      name: 'gitlab-projects-2-merge-requests-5-latency-1ms-rate-500',
      full: false,
      mergeRequests: 10,
    });
    // The floor is what the fake counted, at the rate asked.
    expect(line!.floorSeconds).toBe(Math.round((Number(line!.requests) / 500) * 10) / 10);
    for (const field of ['requests', 'seconds', 'overFloor', 'peakRssMB'])
      expect(typeof line![field], field).toBe('number');
  });

  it('prints one JSON object per size with the lake and baseline figures', async () => {
    const lines = await bench(['--only', 'sdk', '--records', '2000,3000']);
    expect(lines.map((line) => [line.name, line.records])).toEqual([
      ['sdk-sync-sqlite-2000', 2000],
      ['sdk-sync-sqlite-3000', 3000],
    ]);
    for (const line of lines) {
      for (const field of [
        'seconds',
        'recordsPerSec',
        'peakRssMB',
        'baselineRecordsPerSec',
        'baselinePeakRssMB',
        'ratio',
      ]) {
        expect(typeof line[field], field).toBe('number');
        expect(line[field], field).toBeGreaterThan(0);
      }
    }
  });
});

describe('pnpm bench --json, GitHub', () => {
  it('prints the GitHub sync figures per latency, and through faults', async () => {
    const lines = await bench([
      '--only',
      'github',
      '--github-issues',
      '300',
      '--github-latency',
      '1,5',
      '--github-faults',
      '400',
    ]);
    expect(lines.map((line) => [line.name, line.records, line.latencyMs])).toEqual([
      ['github-issues-300-latency-1ms', 300, 1],
      ['github-issues-300-latency-5ms', 300, 5],
      ['github-issues-400-faults', 400, 1],
    ]);
    for (const line of lines) {
      for (const field of ['seconds', 'recordsPerSec', 'peakRssMB']) expect(line[field], field).toBeGreaterThan(0);
    }
  });
});

describe('pnpm bench --only cli', () => {
  it("prints the lake --help figures for twenty installed connectors, and sync's file check of the git connector", async () => {
    const [line = {}, check = {}] = await bench(['--only', 'cli']);
    expect(line).toMatchObject({ name: 'lake-help-20-connectors', connectors: 20, runs: 30 });
    for (const field of ['medianMs', 'p95Ms', 'minMs']) expect(line[field], field).toBeGreaterThan(0);
    expect(line.minMs).toBeLessThanOrEqual(line.medianMs as number);
    expect(check).toMatchObject({ name: 'lake-sync-files-check-git', runs: 20 });
    expect(check.connector).toMatch(/^git \d+\.\d+\.\d+$/);
    // The whole closure: the SDK's database drivers and HTTP client come with it.
    expect(check.files).toBeGreaterThan(1000);
    for (const field of ['megabytes', 'medianMs', 'minMs', 'helpRatio']) expect(check[field], field).toBeGreaterThan(0);
  });
});

describe('pnpm bench --only install', () => {
  it('prints lake install --frozen next to pnpm add, the disk of one and two connectors, and the commands next to --help', async () => {
    const [line = {}] = await bench(['--only', 'install', '--install-runs', '1', '--command-runs', '2']);
    expect(line).toMatchObject({ name: 'runtime-install-git-github', runs: 1 });
    for (const field of [
      'lakeFrozenMs',
      'pnpmAddMs',
      'ratio',
      'oneConnectorMB',
      'twoConnectorsMB',
      'helpMs',
      'listMs',
      'statusMs',
      'infoMs',
      'infoFirstMs',
      'listRatio',
      'statusRatio',
      'infoRatio',
    ]) {
      expect(line[field], field).toBeGreaterThan(0);
    }
    expect(typeof line.secondConnectorPercent).toBe('number');
    // Both connectors bring the SDK and its drivers: the second takes less than the first.
    expect(line.twoConnectorsMB as number).toBeLessThan(1.5 * (line.oneConnectorMB as number));
  });
});

describe('pnpm bench --only dora', () => {
  it('prints the first run and the rerun of commit-diffs on each configured dialect', async () => {
    const lines = await bench(['--only', 'dora', '--dora-commits', '2000']);
    const dialects = [
      'sqlite',
      ...(process.env.LAKE_TEST_PG_URL ? ['postgres'] : []),
      ...(process.env.LAKE_TEST_MYSQL_URL ? ['mysql'] : []),
    ];
    expect(lines.map((line) => line.name)).toEqual(dialects.map((dialect) => `commit-diffs-${dialect}-2000`));
    for (const line of lines) {
      // A merge every 100 commits adds 19 edges to the 1,999 of the chain; 20 ranges cover the 2,000 commits.
      expect(line).toMatchObject({
        commits: 2000,
        edges: 2018,
        deployments: 20,
        diffRows: 2000,
        finishedPairs: 20,
        rerunDiffRows: 0,
      });
      expect(line.firstSeconds).toBeGreaterThan(0);
      expect(typeof line.rerunSeconds).toBe('number');
    }
  });
});

describe('pnpm bench --only webhook', () => {
  it('prints the receiver and the no-op floor under load, and whether every event was stored once', async () => {
    const lines = await bench(['--only', 'webhook', '--webhook-posts', '300', '--webhook-clients', '10']);
    expect(lines.map((line) => line.name)).toEqual(
      [
        'sqlite',
        ...(process.env.LAKE_TEST_PG_URL ? ['postgres'] : []),
        ...(process.env.LAKE_TEST_MYSQL_URL ? ['mysql'] : []),
      ].map((dialect) => `webhook-${dialect}-300`),
    );
    for (const line of lines) {
      // 300 posts, one in ten a repeat: 270 distinct ids, each one deployment with two commit rows.
      expect(line).toMatchObject({ distinctIds: 270, storedDeployments: 270, storedCommits: 540, storedOnce: true });
      for (const side of ['receiver', 'noop'] as const) {
        const figures = line[side] as Record<string, number>;
        expect(figures).toMatchObject({ posts: 300, clients: 10, failed: 0 });
        for (const field of ['postsPerSec', 'p50Ms', 'p99Ms', 'maxMs'])
          expect(figures[field], field).toBeGreaterThan(0);
        expect(figures.p50Ms).toBeLessThanOrEqual(figures.p99Ms!);
      }
    }
  });
});
