import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../src/run-the-chain.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs the main job, keeping its output even when it has to be stopped. */
function runTheChain(limitMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // LAKE_DEBUG: npm's own log lines in the output, so a stalled install says what it waits for.
    const child = spawn(process.execPath, [script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LAKE_DEBUG: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      output += `\n[test] stopped after ${limitMs} ms`;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the main job', () => {
  it('publishes the workspace to a temporary registry, installs the git connector into a runtime and syncs this repository', async ({
    task,
  }) => {
    // Stopped before the test's own budget (vitest.config.ts, scaled by LAKE_TEST_TIME_SCALE)
    // runs out, so that a stalled chain still reports what it printed.
    const { code, output } = await runTheChain(Math.round(task.timeout * 0.9));
    expect(code, output).toBe(0);
    const commits = Number((await run('git', ['rev-list', '--count', '--all'], { cwd: repositoryRoot })).stdout);
    expect(output).toMatch(/@lake\/connector-git@\d+\.\d+\.\d+/);
    expect(output).toMatch(/git +added +\d+\.\d+\.\d+ +registry/);
    // The metric package is published, installed and checked beside the connector.
    expect(output).toMatch(/@lake\/metrics-dora@\d+\.\d+\.\d+/);
    expect(output).toMatch(/metric dora +added +\d+\.\d+\.\d+ +registry/);
    // Signed and checked: no migration warning about unchecked signatures.
    expect(output).toMatch(/key SHA256:[A-Za-z0-9+/]{43}/);
    expect(output).not.toContain('signatures are not checked');
    expect(output).toMatch(new RegExp(`^commits:\\s+${commits.toLocaleString('en-US')}$`, 'm'));
    expect(output).toMatch(/1 scope\(s\), [\d,]+ records in .*; all succeeded/);
    expect(output).toContain('stopping the registry');
  });
});
