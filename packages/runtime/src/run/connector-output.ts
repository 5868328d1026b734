import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { Redactor } from '@lake/sdk/host';
import { isSyncResult, type ProtocolMessage, type ProtocolSyncResult, parseProtocolLine } from '@lake/sdk/protocol';
import type { ScopeLog } from './scope-log.js';

/** What a connector process said about its sync, read from its `--json` lines. */
export interface ConnectorReport {
  /** The exit code; 128 when a signal ended it; null when it could not be started. */
  exitCode: number | null;
  /** Its `result` line, when it printed one. */
  result: ProtocolSyncResult | undefined;
  /** Why it failed without a result: its `error` line, a protocol it does not share, or why it did not start. */
  failure: string | undefined;
  /** The last line it wrote on stderr (scrubbed), for a death without a word. */
  lastStderrLine: string | undefined;
}

export interface ConnectorOutputOptions {
  /** Scrubs every line before anything else sees it. */
  scrubber: Redactor;
  log: ScopeLog;
  /** Each message, as it arrives. */
  onMessage: (message: ProtocolMessage) => void;
}

/**
 * Reads a connector process to its end: stdout as the line protocol (`@lake/sdk/protocol`),
 * stderr as text, both into the scope's log. A line that is not a message (a stray
 * `console.log`) is only logged; one in a newer protocol version fails the run by name, as
 * its result could not be read either.
 */
export async function readConnectorOutput(
  child: ChildProcessWithoutNullStreams,
  cli: string,
  options: ConnectorOutputOptions,
): Promise<ConnectorReport> {
  const { scrubber, log } = options;
  const report: ConnectorReport = {
    exitCode: null,
    result: undefined,
    failure: undefined,
    lastStderrLine: undefined,
  };
  let unsupported: string | undefined;
  const stdout = createInterface({ input: child.stdout });
  stdout.on('line', (line) => {
    const clean = scrubber.redact(line);
    log.writeScrubbed(clean);
    const parsed = parseProtocolLine(clean);
    if (!parsed.ok) {
      if (parsed.problem.code === 'PROTOCOL_LINE_MALFORMED') return;
      log.write(`# ${parsed.problem.code}: ${parsed.problem.message}`);
      if (parsed.problem.code === 'PROTOCOL_VERSION_UNSUPPORTED') unsupported ??= parsed.problem.message;
      return;
    }
    const message = parsed.message;
    if (isSyncResult(message)) {
      report.result = message;
    } else if (message.type === 'error') {
      report.failure = message.message;
    }
    options.onMessage(message);
  });
  const stderr = createInterface({ input: child.stderr });
  stderr.on('line', (line) => {
    const clean = scrubber.redact(line);
    log.writeScrubbed(`[stderr] ${clean}`);
    report.lastStderrLine = clean;
  });
  report.exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      report.failure = `cannot start ${cli}: ${error.message}`;
      resolve(null);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
  await Promise.all([closed(stdout), closed(stderr)]);
  if (unsupported !== undefined && !report.result) report.failure ??= unsupported;
  return report;
}

function closed(lines: Interface): Promise<void> {
  return new Promise((resolve) => {
    lines.once('close', () => resolve());
    // Already closed: 'close' will not fire again.
    if ((lines as unknown as { closed?: boolean }).closed) resolve();
  });
}
