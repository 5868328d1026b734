import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[]): Running {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, exited };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The spinner pids from the `[stress] N spinner(s) busy (pids …)` line, once it is printed. */
async function spinnerPids(running: Running): Promise<number[]> {
  // A budget for a loaded machine: only a broken tool comes near it.
  await vi.waitFor(() => expect(running.output()).toMatch(/\(pids [\d ]+\)/), { timeout: 60_000, interval: 20 });
  return /\(pids ([\d ]+)\)/.exec(running.output())![1]!.split(' ').map(Number);
}

/** A command that prints its pid and then waits to be killed. */
const waitForever = [
  '--',
  process.execPath,
  '-e',
  'console.log("command pid " + process.pid); setInterval(() => {}, 1000)',
];

describe('pnpm stress', () => {
  it('keeps the spinners running while the command runs, passes its exit code on, and stops them after', async () => {
    // The command checks, while it runs, that every spinner it was told about is alive.
    const check = `
      const pids = process.env.LAKE_STRESS_PIDS.split(' ').map(Number);
      for (const pid of pids) process.kill(pid, 0);
      console.log('alive: ' + pids.length);
      process.exit(7);`;
    const running = startCli(['--spinners', '2', '--', process.execPath, '-e', check]);
    const { code } = await running.exited;
    expect(code, running.output()).toBe(7);
    expect(running.output()).toContain('alive: 2');
    expect(running.output()).toMatch(/exited with code 7 after \d+ s/);
    const pids = await spinnerPids(running);
    expect(pids).toHaveLength(2);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('forwards SIGTERM to the command and stops the spinners', async () => {
    const running = startCli(['--spinners', '1', ...waitForever]);
    const pids = await spinnerPids(running);
    await vi.waitFor(() => expect(running.output()).toMatch(/command pid \d+/), { timeout: 60_000, interval: 20 });
    running.child.kill('SIGTERM');
    const { code } = await running.exited;
    // 128 + 15: the command died of the SIGTERM it was handed.
    expect(code, running.output()).toBe(143);
    expect(pids.filter(isAlive)).toEqual([]);
    const command = Number(/command pid (\d+)/.exec(running.output())![1]);
    expect(isAlive(command)).toBe(false);
  });

  it('leaves no spinner behind when it is killed outright', async () => {
    const running = startCli(['--spinners', '2', ...waitForever]);
    const pids = await spinnerPids(running);
    await vi.waitFor(() => expect(running.output()).toMatch(/command pid \d+/), { timeout: 60_000, interval: 20 });
    const command = Number(/command pid (\d+)/.exec(running.output())![1]);
    try {
      const killed = new Promise((resolve) => running.child.once('exit', resolve));
      running.child.kill('SIGKILL');
      // 'exit', not 'close': the orphaned command still holds the output pipes open.
      await killed;
      // Orphaned spinners notice that their parent is gone and exit by themselves.
      await vi.waitFor(() => expect(pids.filter(isAlive)).toEqual([]), { timeout: 60_000, interval: 50 });
    } finally {
      // The orphaned command is this test's to clean up.
      if (isAlive(command)) process.kill(command, 'SIGKILL');
    }
  });

  it('refuses a bad spinner count and a missing command, naming what is wrong', async () => {
    const badCount = startCli(['--spinners', 'many', '--', 'true']);
    expect((await badCount.exited).code).toBe(2);
    expect(badCount.output()).toContain('[lake] [stress] --spinners must be a whole number, not many');
    const noCommand = startCli(['--spinners', '1']);
    expect((await noCommand.exited).code).toBe(2);
    expect(noCommand.output()).toContain('[lake] [stress] no command given');
    const missing = startCli(['--spinners', '1', '--', 'no-such-command-anywhere']);
    expect((await missing.exited).code).toBe(2);
    expect(missing.output()).toContain('[lake] [stress] could not run no-such-command-anywhere');
  });
});
