import type { SummaryFact } from '../contract/define-connector.js';
import type { SyncResult } from '../engine/sync.js';
import type { SyncEvent } from '../engine/sync-events.js';
import { terminalLines, terminalText } from './terminal-text.js';

/*
 * Everything here is for a person at a terminal: every piece of data printed (names, paths,
 * messages, facts) goes through terminalText/terminalLines, so that control characters in it
 * are shown, not obeyed.
 */

/** Left-aligned first column, right-aligned numbers: a plain text table. */
export function formatTable(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [
    headers.map(terminalText),
    ...rows.map((row) =>
      row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : terminalText(String(cell ?? '')))),
    ),
  ];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => String(row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => {
          const text = String(cell ?? '');
          const numeric = column > 0 && typeof rows[0]?.[column] === 'number';
          return numeric ? text.padStart(widths[column]!) : text.padEnd(widths[column]!);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
}

export function formatDuration(milliseconds: number): string {
  if (milliseconds < 60_000) return `${(milliseconds / 1000).toFixed(1)}s`;
  const minutes = Math.floor(milliseconds / 60_000);
  return `${minutes}m${String(Math.round((milliseconds % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** The human summary of a sync: one line of outcome, a table of streams, then the connector's facts. */
export function renderSyncResult(result: SyncResult, elapsedMs: number): string {
  const lines = [
    terminalText(
      `${result.connector} · ${result.scopeName} · ${result.status}${result.skipReason ? ` (${result.skipReason})` : ''}`,
    ) + ` in ${formatDuration(elapsedMs)}`,
  ];
  if (result.streams.length > 0 && result.status !== 'skipped') {
    lines.push(
      '',
      formatTable(
        ['stream', 'status', 'records', 'tool rows', 'domain rows', 'removed', 'time'],
        result.streams.map((stream) => [
          stream.name,
          stream.status + (stream.resumed ? ' (resumed)' : '') + (stream.full ? ' (full)' : ''),
          stream.records,
          stream.toolRows,
          stream.domainRows,
          stream.removed,
          formatDuration(stream.elapsedMs),
        ]),
      ),
    );
  }
  if (result.summary.length > 0) lines.push('', renderFacts(result.summary));
  if (result.error) lines.push('', `error: ${terminalLines(result.error.message)}`);
  return lines.join('\n');
}

export function renderFacts(facts: SummaryFact[]): string {
  const lines: string[] = [];
  const labels = facts.map((fact) => terminalText(fact.label));
  const width = Math.max(...labels.map((label) => label.length));
  for (const [index, fact] of facts.entries()) {
    lines.push(
      `${`${labels[index]}:`.padEnd(width + 2)}${typeof fact.value === 'number' ? formatNumber(fact.value) : terminalText(String(fact.value))}`,
    );
    if (fact.rows && fact.rows.length > 0) {
      const headers = Object.keys(fact.rows[0]!);
      const table = formatTable(
        headers,
        fact.rows.map((row) => headers.map((header) => row[header] ?? '')),
      );
      lines.push(...table.split('\n').map((line) => `    ${line}`));
    }
  }
  return lines.join('\n');
}

/** Where progress goes: stderr, or anything with `write` (the CLI's redacting writer). */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise. */
export function createProgressRenderer(stream: ProgressOutput): (event: SyncEvent) => void {
  const interactive = Boolean(stream.isTTY);
  let lastPrinted = 0;
  return (event) => {
    if (event.type === 'stream-progress') {
      const seconds = event.elapsedMs / 1000;
      const rate = seconds > 0 ? Math.round(event.records / seconds) : 0;
      const total = event.total === undefined ? '' : ` of ${formatNumber(event.total)}`;
      const line = `${terminalText(event.stream)}: ${formatNumber(event.records)}${total} records · ${formatNumber(rate)}/s · ${formatDuration(event.elapsedMs)}`;
      if (interactive) {
        stream.write(`\r\u001b[2K${line}`);
      } else if (Date.now() - lastPrinted > 2000) {
        stream.write(`${line}\n`);
        lastPrinted = Date.now();
      }
    } else if (event.type === 'stream-end') {
      const line = `${terminalText(event.stream)}: ${event.status}, ${formatNumber(event.records)} records in ${formatDuration(event.elapsedMs)}`;
      stream.write(interactive ? `\r\u001b[2K${line}\n` : `${line}\n`);
    } else if (event.type === 'migrations') {
      stream.write(`applied ${event.applied.length} migration(s) of ${terminalText(event.owner)}\n`);
    }
  };
}
