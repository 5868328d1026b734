import { formatTable } from '@lake/sdk/host';
import type { QueueStatus } from '../queue/queue-status.js';

const shortTime = (date: Date) =>
  date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 3)}...` : text);

/** `lake status`'s queue part: counts, the unfinished and failed jobs, the live workers. */
export function renderQueueStatus(status: QueueStatus): string {
  const { counts } = status;
  const lines = [
    `queue: ${counts.queued} queued, ${counts.retry} waiting to retry, ${counts.running} running, ${counts.completed} completed, ${counts.failed} failed`,
  ];
  if (status.jobs.length > 0) {
    lines.push(
      '',
      formatTable(
        ['job', 'state', 'connection', 'scope', 'connector', 'worker', 'tries', 'since', 'error'],
        status.jobs.map((row) => [
          row.id.slice(0, 8),
          row.state + (row.deadLettered ? ' (dead letter)' : ''),
          row.job.connection,
          row.job.scopeId,
          `${row.job.connector} ${row.job.version}`,
          row.worker ?? '-',
          `${row.retries + (row.state === 'queued' ? 0 : 1)}/${row.retryLimit + 1}`,
          shortTime(row.startedAt ?? row.createdAt),
          clip(row.error ?? '', 60),
        ]),
      ),
    );
  }
  if (status.metrics.length > 0) {
    lines.push(
      '',
      "projects' metrics:",
      formatTable(
        ['job', 'state', 'project', 'tries', 'since', 'error'],
        status.metrics.map((row) => [
          row.id.slice(0, 8),
          row.state,
          row.project,
          `${row.retries + (row.state === 'queued' ? 0 : 1)}/${row.retryLimit + 1}`,
          shortTime(row.startedAt ?? row.startAfter),
          clip(row.error ?? '', 60),
        ]),
      ),
    );
  }
  lines.push('');
  if (status.workers.length === 0) lines.push('workers: none alive (start one with `lake worker`)');
  else {
    lines.push(
      `workers (${status.workers.length}):`,
      formatTable(
        ['worker', 'host', 'pid', 'running', 'started', 'last heartbeat'],
        status.workers.map((worker) => [
          worker.id,
          worker.host,
          worker.pid,
          `${worker.jobs}/${worker.concurrency}`,
          shortTime(worker.startedAt),
          shortTime(worker.heartbeatAt),
        ]),
      ),
    );
  }
  return lines.join('\n');
}
