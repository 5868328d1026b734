import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { startSpinners } from './spinners.ts';

export interface RunUnderLoadOptions {
  /** The command and its arguments. */
  command: string[];
  /** Spinning processes alongside the command; one per core keeps every core busy. */
  spinners: number;
  /** Progress lines (`[stress] …`); default stderr. */
  report?: (line: string) => void;
}

export interface RunUnderLoadResult {
  /** The command's exit code, or 128 + the signal number that ended it. */
  code: number;
  elapsedMs: number;
  /** The spinners' process ids (stopped by the time this resolves). */
  spinnerPids: number[];
}

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs a command (its output goes straight to this process's) while spinners keep the cores
 * busy, then stops them. The command learns the spinners' pids from `LAKE_STRESS_PIDS`.
 *
 *   const { code } = await runUnderLoad({ command: ['bash', '.ci/run'], spinners: availableParallelism() });
 */
export async function runUnderLoad(options: RunUnderLoadOptions): Promise<RunUnderLoadResult> {
  const [file, ...args] = options.command;
  if (!file) throw new Error('[lake] [stress] no command given: pnpm stress -- <command…>');
  const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  const spinners = await startSpinners(options.spinners);
  const started = Date.now();
  try {
    report(
      `[stress] ${spinners.pids.length} spinner(s) busy (pids ${spinners.pids.join(' ')}); running: ${options.command.join(' ')}`,
    );
    const child = spawn(file, args, {
      stdio: 'inherit',
      env: { ...process.env, LAKE_STRESS_PIDS: spinners.pids.join(' ') },
    });
    // Ctrl-C reaches the command through the terminal anyway; a plain `kill` of this process
    // must reach it too, and must not leave the spinners behind.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    try {
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
        child.once('error', (error) => reject(new Error(`[lake] [stress] could not run ${file}: ${error.message}`)));
        child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
      });
      const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      const elapsedMs = Date.now() - started;
      report(`[stress] ${options.command.join(' ')} exited with code ${exitCode} after ${formatDuration(elapsedMs)}`);
      return { code: exitCode, elapsedMs, spinnerPids: spinners.pids };
    } finally {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    }
  } finally {
    await spinners.stop();
  }
}

function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
