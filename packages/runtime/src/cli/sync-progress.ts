import { formatDuration } from '@lake/sdk/host';
import type { ScopeEvent } from '../run/sync-runner.js';

interface StreamProgress {
  label: string;
  records: number;
  total: number | undefined;
  elapsedMs: number;
}

/**
 * Progress of every running scope on stderr. On a terminal: one status line rewritten in
 * place (records, rate, elapsed, and the total when the API gives one) per active stream;
 * otherwise: a line when a stream ends and at most one progress line per stream every 5 s.
 */
export function createSyncProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }): (event: ScopeEvent) => void {
  const interactive = Boolean(stream.isTTY);
  const active = new Map<string, StreamProgress>();
  const lastPrinted = new Map<string, number>();
  let drawn = 0;
  const describe = (progress: StreamProgress) => {
    const seconds = progress.elapsedMs / 1000;
    const rate = seconds > 0 ? Math.round(progress.records / seconds) : 0;
    const total = progress.total === undefined ? '' : ` of ${progress.total.toLocaleString('en-US')}`;
    return `${progress.label}: ${progress.records.toLocaleString('en-US')}${total} records · ${rate.toLocaleString('en-US')}/s · ${formatDuration(progress.elapsedMs)}`;
  };
  const clear = () => {
    if (!interactive) return;
    for (let line = 0; line < drawn; line += 1) stream.write('\u001b[1A\u001b[2K');
    drawn = 0;
  };
  const draw = () => {
    if (!interactive) return;
    for (const progress of active.values()) stream.write(`${describe(progress)}\n`);
    drawn = active.size;
  };
  return ({ connection, scopeId, event }) => {
    const streamName = 'stream' in event ? event.stream : '';
    const key = `${connection}\u0000${scopeId}\u0000${streamName}`;
    const label = `${connection} · ${scopeId} · ${streamName}`;
    if (event.type === 'stream-progress') {
      const progress: StreamProgress = {
        label,
        records: event.records,
        total: event.total,
        elapsedMs: event.elapsedMs,
      };
      active.set(key, progress);
      if (interactive) {
        clear();
        draw();
      } else if (Date.now() - (lastPrinted.get(key) ?? 0) > 5_000) {
        lastPrinted.set(key, Date.now());
        stream.write(`${describe(progress)}\n`);
      }
    } else if (event.type === 'stream-end') {
      active.delete(key);
      clear();
      const error = event.error === undefined ? '' : ` (${event.error})`;
      stream.write(
        `${label}: ${event.status}, ${event.records.toLocaleString('en-US')} records in ${formatDuration(event.elapsedMs)}${error}\n`,
      );
      draw();
    } else if (event.type === 'log' && (event.level === 'warn' || event.level === 'error')) {
      clear();
      stream.write(`${connection} · ${scopeId}: ${event.level}: ${event.message}\n`);
      draw();
    } else if (event.type === 'scope-end' && event.error !== undefined && event.status === 'failed') {
      clear();
      stream.write(`${connection} · ${scopeId}: failed: ${event.error}\n`);
      draw();
    } else if (event.type === 'sync-skip') {
      clear();
      stream.write(`${connection} · ${scopeId}: unchanged, skipped (${event.reason})\n`);
      draw();
    }
  };
}
