import { open, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { LakeError } from '@lake/sdk';

/** How often a sync waiting for another one's fetch looks again. */
const POLL_MS = 100;

export interface MirrorLockOptions {
  signal?: AbortSignal;
  /** Called once, when the lock is held by another process (or another sync of this one). */
  onWait?(holderPid: number): void;
}

/**
 * Takes the lock file of one mirror: created exclusively, holding the owner's pid. Another
 * sync of the same remote (in this process or another) waits until it is released; a lock
 * whose process no longer runs (a killed sync) is taken over. Returns the release function.
 */
export async function acquireMirrorLock(path: string, options: MirrorLockOptions = {}): Promise<() => Promise<void>> {
  let waited = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && !isRunning(holder)) {
      await rm(path, { force: true });
      continue;
    }
    if (!waited) options.onWait?.(holder);
    waited = true;
    try {
      await sleep(POLL_MS, undefined, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      throw new LakeError('SYNC_ABORTED', `interrupted while waiting for the lock ${path}`, {
        source: 'git',
        cause: error,
      });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
