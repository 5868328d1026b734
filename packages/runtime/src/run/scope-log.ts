import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redactor } from '@lake/sdk/host';

/**
 * One scope's log file under `.lake/logs`: `<time>-<connection>-<scope>.log`, 0600, holding
 * the connector's output (scrubbed of the secrets substituted into its context) and the
 * runtime's own `# …` lines about the run.
 */
export class ScopeLog {
  readonly file: string;
  readonly #stream: WriteStream;
  readonly #scrubber: Redactor;

  private constructor(file: string, scrubber: Redactor) {
    this.file = file;
    this.#scrubber = scrubber;
    this.#stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  }

  static async open(
    directory: string,
    names: { connection: string; scopeId: string },
    started: Date,
    scrubber: Redactor,
  ): Promise<ScopeLog> {
    await mkdir(directory, { recursive: true });
    const stamp = started
      .toISOString()
      .replaceAll(':', '-')
      .replace(/\.\d+Z$/, 'Z');
    return new ScopeLog(join(directory, `${stamp}-${safe(names.connection)}-${safe(names.scopeId)}.log`), scrubber);
  }

  /** A line, scrubbed. */
  write(line: string): void {
    this.#stream.write(`${this.#scrubber.redact(line)}\n`);
  }

  /** A line the caller has already scrubbed (the connector's output, scrubbed once for the log and the reader). */
  writeScrubbed(line: string): void {
    this.#stream.write(`${line}\n`);
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => this.#stream.end(resolve));
  }
}

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
}
