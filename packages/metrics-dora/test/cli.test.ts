import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openStore } from '@lake/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli.js';
import { STEP_NAMES } from '../src/steps/index.js';
import { migrateLake } from './support/lake-rows.js';
import { writeShopHistory } from './support/shop-history.js';

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

describe('lake-metrics-dora run', () => {
  let directory: string;
  let url: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-metrics-dora-'));
    url = `sqlite:${join(directory, 'lake.db')}`;
    const store = await openStore(url);
    await migrateLake(store);
    await writeShopHistory(store);
    await store.close();
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('runs every step in order and prints what each wrote', async () => {
    const { code, out } = await cli('run', '--db', url, '--project', 'shop');
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
      url,
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
    const { code, err } = await cli('run', '--db', url, '--project', 'shop', '--step', 'lead-time');
    expect(code).toBe(2);
    expect(err).toContain('"lead-time"');
    for (const step of STEP_NAMES) expect(err).toContain(step);
  });

  it('refuses a project the database does not know, naming those it does', async () => {
    const { code, err } = await cli('run', '--db', url, '--project', 'shp');
    expect(code).toBe(2);
    expect(err).toContain('"shp"');
    expect(err).toContain('other, shop');
  });

  it('refuses a missing --project or --db, and an unknown command', async () => {
    expect((await cli('run', '--db', url)).err).toContain('--project');
    expect((await cli('run', '--project', 'shop')).code).toBe(2);
    expect((await cli('report', '--db', url, '--project', 'shop')).code).toBe(2);
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
    const error = await promisify(execFile)(process.execPath, [bin.pathname, 'run', '--db', url]).catch(
      (failure: { code: number; stderr: string }) => failure,
    );
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('--project');
  });
});
