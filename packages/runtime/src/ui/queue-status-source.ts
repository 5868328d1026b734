/** One job of the scale-out queue, as the Runs page lists it. */
export interface QueueJob {
  id: string;
  /** What it syncs: `<connection> · <scope>` or a metric. */
  name: string;
  state: 'queued' | 'running' | 'failed';
  createdAt: string;
  startedAt: string | null;
  /** The failure's code and message (scrubbed of secrets), for failed jobs. */
  error: string | null;
}

export interface QueueWorker {
  id: string;
  host: string;
  lastSeenAt: string;
  runningJobs: number;
}

/** What the Runs page's jobs panel shows: `configured: false` when no queue is set up. */
export type QueueStatus =
  | { configured: false; message: string }
  | { configured: true; jobs: QueueJob[]; workers: QueueWorker[] };

/**
 * Where `lake ui` reads the scale-out queue's jobs and workers from. The queue plugs in its own
 * source; without one, `noQueueConfigured` answers.
 *
 *   const source: QueueStatusSource = { status: async () => ({ configured: true, jobs, workers }) };
 */
export interface QueueStatusSource {
  status(): Promise<QueueStatus>;
}

export const noQueueConfigured: QueueStatusSource = {
  status: async () => ({ configured: false, message: 'no queue configured: syncs run in the lake process' }),
};
