import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RuntimeError } from '../errors.js';
import { processIsAlive } from '../project/process-alive.js';

/** One install at a time per project: a lock file holding the installer's pid. */
export async function withInstallMutex<T>(file: string, run: () => Promise<T>): Promise<T> {
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new RuntimeError('INSTALL_BUSY', `another lake install is running in this project (${file})`);
        }
        throw error;
      }
      const holder = Number(await readFile(file, 'utf8').catch(() => ''));
      if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
        throw new RuntimeError('INSTALL_BUSY', `another lake install (pid ${holder}) is running in this project`);
      }
      // Its holder died: take over.
      await rm(file, { force: true });
    }
  }
  try {
    return await run();
  } finally {
    await rm(file, { force: true });
  }
}
