import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import type { Redactor } from '@lake/sdk/host';
import { isSyncResult, type ProtocolMessage, type ProtocolSyncResult, parseProtocolLine } from '@lake/sdk/protocol';
import type { ScopeLog } from './scope-log.js';

/** What a connector process said about its sync, read from its `--json` lines. */
export interface ConnectorReport {
  /** The exit code (a served request's, from its `request-end`); 128 when a signal ended it; null when it could not be started. */
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
  /** Each message, as it arrives (a served request's `request-end` excepted: it is the reader's, not the scope's). */
  onMessage: (message: ProtocolMessage) => void;
}

/**
 * One sync's lines as they come, whoever reads them: a connector process read to its exit
 * (`readConnectorOutput`), or one request of a long-lived `serve` process read to its
 * `request-end` (`ConnectorProcessPool`). Stdout is the line protocol (`@lake/sdk/protocol`),
 * stderr text, both into the scope's log. A line that is not a message (a stray
 * `console.log`) is only logged; one in a newer protocol version fails the run by name, as
 * its result could not be read either.
 */
export class ConnectorLines {
  readonly report: ConnectorReport = {
    exitCode: null,
    result: undefined,
    failure: undefined,
    lastStderrLine: undefined,
  };
  readonly #options: ConnectorOutputOptions;
  #unsupported: string | undefined;

  constructor(options: ConnectorOutputOptions) {
    this.#options = options;
  }

  /** A stdout line; returns its message, when it is one. */
  stdout(line: string): ProtocolMessage | undefined {
    const { scrubber, log } = this.#options;
    const clean = scrubber.redact(line);
    log.writeScrubbed(clean);
    const parsed = parseProtocolLine(clean);
    if (!parsed.ok) {
      if (parsed.problem.code === 'PROTOCOL_LINE_MALFORMED') return undefined;
      log.write(`# ${parsed.problem.code}: ${parsed.problem.message}`);
      if (parsed.problem.code === 'PROTOCOL_VERSION_UNSUPPORTED') this.#unsupported ??= parsed.problem.message;
      return undefined;
    }
    const message = parsed.message;
    if (isSyncResult(message)) {
      this.report.result = message;
    } else if (message.type === 'error') {
      this.report.failure = message.message;
    }
    if (message.type !== 'request-end') this.#options.onMessage(message);
    return message;
  }

  stderr(line: string): void {
    const clean = this.#options.scrubber.redact(line);
    this.#options.log.writeScrubbed(`[stderr] ${clean}`);
    this.report.lastStderrLine = clean;
  }

  /** The report, once the lines are over (the process exited, or the request ended). */
  end(exitCode: number | null): ConnectorReport {
    this.report.exitCode = exitCode;
    if (this.#unsupported !== undefined && !this.report.result) this.report.failure ??= this.#unsupported;
    return this.report;
  }
}

/** Reads a connector process to its end (see `ConnectorLines`). */
export async function readConnectorOutput(
  child: ChildProcessWithoutNullStreams,
  cli: string,
  options: ConnectorOutputOptions,
): Promise<ConnectorReport> {
  const lines = new ConnectorLines(options);
  const stdout = createInterface({ input: child.stdout });
  stdout.on('line', (line) => lines.stdout(line));
  const stderr = createInterface({ input: child.stderr });
  stderr.on('line', (line) => lines.stderr(line));
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      lines.report.failure = `cannot start ${cli}: ${error.message}`;
      resolve(null);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
  await Promise.all([closed(stdout), closed(stderr)]);
  return lines.end(exitCode);
}

function closed(lines: Interface): Promise<void> {
  return new Promise((resolve) => {
    lines.once('close', () => resolve());
    // Already closed: 'close' will not fire again.
    if ((lines as unknown as { closed?: boolean }).closed) resolve();
  });
}
