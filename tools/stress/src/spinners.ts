import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const spinScript = fileURLToPath(new URL('./spin.ts', import.meta.url));

export interface Spinners {
  /** Process ids of the spinners, in start order. */
  readonly pids: number[];
  /** Kills every spinner and resolves once all of them have exited. */
  stop(): Promise<void>;
}

/**
 * Starts `count` processes that each keep a core busy (see spin.ts). They run at the same
 * priority as everything else, as another worker's build would.
 *
 *   const spinners = await startSpinners(availableParallelism());
 *   try { await runTheSuite(); } finally { await spinners.stop(); }
 */
export async function startSpinners(count: number): Promise<Spinners> {
  const children: ChildProcess[] = [];
  for (let index = 0; index < count; index += 1) {
    const child = spawn(process.execPath, [spinScript, String(process.pid)], { stdio: 'ignore' });
    children.push(child);
    await once(child, 'spawn');
  }
  return {
    pids: children.map((child) => child.pid!),
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }),
      );
    },
  };
}
