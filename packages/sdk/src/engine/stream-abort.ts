import { LakeError } from '../errors/lake-error.js';

/** Throws SYNC_ABORTED once the sync's signal has fired; called between records and before commits. */
export function throwIfAborted(signal: AbortSignal, stream: string): void {
  if (signal.aborted) {
    throw new LakeError(
      'SYNC_ABORTED',
      `stream "${stream}" was interrupted; the next sync resumes from its last commit`,
      {
        cause: signal.reason,
      },
    );
  }
}
