import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openStore, type Store } from '@lake/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../src/cli-arguments.js';
import { runMetrics } from '../src/index.js';
import { runCli } from '../src/run-cli.js';
import { STEP_NAMES } from '../src/steps/index.js';
import { migrateLake } from './support/lake-rows.js';
import { at, writeShopHistory } from './support/shop-history.js';

/** Runs the CLI in this process and returns its exit code and output. */
async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: { write: (text: string) => (out += text) },
    err: { write: (text: string) => (err += text) },
  });
  return { code, out, err };
}

/**
 * A SQLite file holding the shop history for each test of the calling `describe` (after
 * `prepare`, if given), removed after it: `const lake = useShopFile(); … lake.url`.
 */
function useShopFile(prepare?: (store: Store) => Promise<unknown>): { readonly url: string } {
  let directory = '';
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-metrics-dora-'));
    const store = await openStore(`sqlite:${join(directory, 'lake.db')}`);
    await migrateLake(store);
    await writeShopHistory(store);
    await prepare?.(store);
    await store.close();
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  return {
    get url() {
      return `sqlite:${join(directory, 'lake.db')}`;
    },
  };
}

describe('lake-metrics-dora run', () => {
  const lake = useShopFile();

  it('runs every step in order and prints what each wrote', async () => {
    const { code, out } = await cli('run', '--db', lake.url, '--project', 'shop');
    expect(code).toBe(0);
    const steps = out
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s+/)[0]);
    expect(steps).toEqual([...STEP_NAMES]);
    expect(out).toContain('project_pr_metrics +5');
    expect(out).toContain('incidents +5');
  });

  it('runs only the named steps, in the standard order, and reports them as JSON', async () => {
    const { code, out } = await cli(
      'run',
      '--db',
      lake.url,
      '--project',
      'shop',
      '--step',
      'deployment-commits',
      '--step',
      'deployments',
      '--json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.project).toBe('shop');
    expect(report.steps).toEqual([
      { step: 'deployments', written: { cicd_deployments: 6 }, deleted: { cicd_deployments: 0 } },
      { step: 'deployment-commits', written: { cicd_deployment_commits: 5 }, deleted: { cicd_deployment_commits: 0 } },
    ]);
  });

  it('refuses an unknown step with exit code 2, naming the valid ones', async () => {
    const { code, err } = await cli('run', '--db', lake.url, '--project', 'shop', '--step', 'lead-time');
    expect(code).toBe(2);
    expect(err).toContain('"lead-time"');
    for (const step of STEP_NAMES) expect(err).toContain(step);
  });

  it('refuses a project the database does not know, naming those it does', async () => {
    const { code, err } = await cli('run', '--db', lake.url, '--project', 'shp');
    expect(code).toBe(2);
    expect(err).toContain('"shp"');
    expect(err).toContain('other, shop');
  });

  it('refuses a missing --project or --db, and an unknown command', async () => {
    expect((await cli('run', '--db', lake.url)).err).toContain('--project');
    expect((await cli('run', '--project', 'shop')).code).toBe(2);
    expect((await cli('rerun', '--db', lake.url, '--project', 'shop')).code).toBe(2);
  });

  it('never prints the password of the database URL', async () => {
    const secret = 'Hunter2-not-printed';
    const { code, out, err } = await cli(
      'run',
      '--db',
      `postgres://lake:${secret}@127.0.0.1:1/lake`,
      '--project',
      'shop',
    );
    expect(code).toBe(1);
    expect(`${out}${err}`).not.toContain(secret);
    expect(err).toContain('127.0.0.1');
  });

  it('is the package bin, exiting 2 on a usage error', async () => {
    const bin = new URL('../dist/cli.js', import.meta.url);
    const error = await promisify(execFile)(process.execPath, [bin.pathname, 'run', '--db', lake.url]).catch(
      (failure: { code: number; stderr: string }) => failure,
    );
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('--project');
  });
});

describe('lake-metrics-dora report and explain', () => {
  const lake = useShopFile((store) => runMetrics(store, { projectName: 'shop' }));

  const window = ['--from', '2026-01-05', '--to', '2026-01-11'];

  it('prints the report as JSON: the four metrics with band and counts', async () => {
    const { code, out } = await cli('report', '--db', lake.url, '--project', 'shop', ...window, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(Object.keys(report)).toEqual(['project', 'window', 'bands', 'metrics']);
    expect(report.window).toEqual({ from: '2026-01-05', to: '2026-01-11' });
    expect(Object.keys(report.metrics)).toEqual([
      'deploymentFrequency',
      'leadTime',
      'changeFailureRate',
      'recoveryTime',
    ]);
    // p1, p2 and p4 on three days of one week; pr1 and pr2 deployed with cycle times 6,000 and 2,580.
    expect(report.metrics.deploymentFrequency).toMatchObject({ value: 3, band: { level: 'high' } });
    expect(report.metrics.leadTime).toMatchObject({
      value: 2_580,
      counts: { pullRequestsDeployed: 2, pullRequestsDeployedBeforeMerge: 1 },
    });
    // i1 and i7 blame p2, i3 blames p4: two of three deployments.
    expect(report.metrics.changeFailureRate).toMatchObject({
      value: 2 / 3,
      counts: { deployments: 3, deploymentsWithIncident: 2 },
    });
  });

  it('prints the report as a table, with the 2021 bands when asked', async () => {
    const { code, out } = await cli('report', '--db', lake.url, '--project', 'shop', ...window, '--bands', '2021');
    expect(code).toBe(0);
    expect(out).toContain('DORA report for shop, 2026-01-05 to 2026-01-11 (UTC, both days included), 2021 bands');
    expect(out).toMatch(
      /Deployment frequency +3 deployment days per week +Between once per day and once per month\(high\)/,
    );
    expect(out).toMatch(/Change failure rate +66\.7% +> 30%\(low\)/);
    expect(out).toMatch(/Time to restore service +2\.0 h +Less than one day\(high\)/);
    expect(out).toContain('    pull requests merged: 5');
  });

  it('prints N/A with the reason for a metric without data', async () => {
    const { code, out } = await cli(
      'report',
      '--db',
      lake.url,
      '--project',
      'other',
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/Deployment frequency +- +N\/A: no deployments in the window/);
  });

  it('explains a pull request as text and as JSON', async () => {
    const text = await cli('explain', '--db', lake.url, '--project', 'shop', '--pull-request', 'pr3');
    expect(text.code).toBe(0);
    expect(text.out).toContain('  coding  missing: first commit y1 was authored after the pull request was created');
    expect(text.out).toContain('  pickup  0 min');
    expect(text.out).toContain('does not count');
    expect(text.out).toContain(`first review comment: cm5 by u:carol at ${at(0, 7, 59, 30).toISOString()} (1 comment)`);
    const json = await cli('explain', '--db', lake.url, '--project', 'shop', '--pull-request', 'pr1', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).spans.deploy.minutes).toBe(1_560);
    expect((await cli('explain', '--db', lake.url, '--project', 'shop', '--pull-request', 'pr1')).out).toContain(
      'deployment: p2:https://git.example.org/shop.git of c5, PRODUCTION SUCCESS',
    );
    expect((await cli('explain', '--db', lake.url, '--project', 'shop', '--pull-request', 'pr1')).out).toContain(
      '(3 comments, skipped: 1 by the author)',
    );
  });

  it('exits 1 naming an unknown pull request', async () => {
    const { code, err } = await cli('explain', '--db', lake.url, '--project', 'shop', '--pull-request', 'pr404');
    expect(code).toBe(1);
    expect(err).toContain('pull request "pr404" is not in pull_requests');
  });

  it('exits 2 naming the bad flag', async () => {
    const cases: [string[], string][] = [
      [['report', '--db', lake.url, '--project', 'shop', '--bands', '2022'], '--bands "2022" is not 2023 or 2021'],
      [
        ['report', '--db', lake.url, '--project', 'shop', '--from', '2026-13-01'],
        '--from "2026-13-01" is not a date YYYY-MM-DD',
      ],
      [
        ['report', '--db', lake.url, '--project', 'shop', '--to', 'yesterday'],
        '--to "yesterday" is not a date YYYY-MM-DD',
      ],
      [['report', '--db', lake.url, '--project', 'shop', '--step', 'x'], "'--step'"],
      [['report', '--db', lake.url], '--project <name> is required'],
      [['explain', '--db', lake.url, '--project', 'shop'], '--pull-request <id> is required'],
      [
        ['explain', '--db', lake.url, '--project', 'shop', '--pull-request', 'pr1', 'extra'],
        'unexpected argument "extra"',
      ],
      [['explain', '--project', 'shop', '--pull-request', 'pr1'], '--db <url> (or LAKE_DATABASE_URL) is required'],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await cli(...argv);
      expect({ argv, code }).toEqual({ argv, code: 2 });
      expect(err).toContain(message);
    }
  });

  it('takes the database from LAKE_DATABASE_URL when --db is not given (a runtime keeps it off the process list)', () => {
    const environment = { LAKE_DATABASE_URL: 'postgres://lake:secret@db/lake' };
    expect(parseCommand(['run', '--project', 'shop'], environment)).toMatchObject({
      db: environment.LAKE_DATABASE_URL,
    });
    expect(parseCommand(['run', '--project', 'shop', '--db', 'sqlite:x.db'], environment)).toMatchObject({
      db: 'sqlite:x.db',
    });
    expect(() => parseCommand(['run', '--project', 'shop'], {})).toThrow(
      '--db <url> (or LAKE_DATABASE_URL) is required',
    );
  });

  it('prints the usage of every command on --help', async () => {
    for (const argv of [['--help'], ['report', '--help'], []]) {
      const { code, out } = await cli(...argv);
      expect(code).toBe(0);
      expect(out).toContain('lake-metrics-dora report --db <url> --project <name>');
      expect(out).toContain('lake-metrics-dora explain --db <url> --project <name> --pull-request <id>');
    }
  });
});
