/** Attempts at a write that a database refused for contention (deadlock, serialization, busy). */
export const WRITE_ATTEMPTS = 8;

/**
 * True for errors a database raises when concurrent transactions collide, where running the same
 * transaction again succeeds: MariaDB/MySQL deadlock (1213) and lock wait timeout (1205),
 * PostgreSQL deadlock (40P01) and serialization failure (40001), SQLite busy.
 */
export function isTransientWriteFailure(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return (
    code === 'ER_LOCK_DEADLOCK' ||
    code === 'ER_LOCK_WAIT_TIMEOUT' ||
    errno === 1213 ||
    errno === 1205 ||
    code === '40P01' ||
    code === '40001' ||
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_BUSY_SNAPSHOT'
  );
}

/** Runs `write`, again when it failed transiently, up to WRITE_ATTEMPTS times. */
export async function withWriteRetries<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS || !isTransientWriteFailure(error)) throw error;
      // Jittered, growing pauses: colliding writers do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt * attempt));
    }
  }
}
