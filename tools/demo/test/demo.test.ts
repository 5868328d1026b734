import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../src/run-the-chain.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('the main job', () => {
  it('publishes the workspace to a temporary registry, installs the git connector into a runtime and syncs this repository', async () => {
    const { stdout, stderr } = await run(process.execPath, [script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const output = stdout + stderr;
    const commits = Number((await run('git', ['rev-list', '--count', '--all'], { cwd: repositoryRoot })).stdout);
    expect(output).toMatch(/@lake\/connector-git@\d+\.\d+\.\d+/);
    expect(output).toMatch(/git +added +\d+\.\d+\.\d+ +registry/);
    expect(output).toMatch(new RegExp(`^commits:\\s+${commits.toLocaleString('en-US')}$`, 'm'));
    expect(output).toMatch(/1 scope\(s\), [\d,]+ records in .*; all succeeded/);
    expect(output).toContain('stopping the registry');
  });
});
