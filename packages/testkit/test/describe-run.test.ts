import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type CliRun, describeRun } from '../src/conformance/connector-cli.js';

const run = (stderr: string, code: number | null = 1): CliRun => ({
  code,
  signal: null,
  stdout: '',
  stderr,
  result: undefined,
  hung: false,
});

describe('describeRun', () => {
  it("names the error of a process that died of an uncaught exception, whose last lines are only Node's", async () => {
    // A real crash's stderr, not a hand-written one.
    const crashed: { code?: number; stderr: string } = await promisify(execFile)(process.execPath, [
      '-e',
      "const error = new Error('cannot find module @lake/sdk'); error.code = 'ERR_X'; throw error;",
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(crashed.code).toBe(1);
    const described = describeRun(run(crashed.stderr));
    expect(described).toMatch(/^exit 1 \(thrown: Error: cannot find module @lake\/sdk\) \(stderr: .*Node\.js v/);
  });

  it('says nothing more when the error is already among the last lines', () => {
    expect(describeRun(run('starting\nError: the token is wrong'))).toBe(
      'exit 1 (stderr: starting | Error: the token is wrong)',
    );
    expect(describeRun(run('', 0))).toBe('exit 0');
  });
});
