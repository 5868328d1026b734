import { formatLogLine, type LogEntry } from '../logging/logger.js';
import type { ProtocolMessage } from '../protocol/protocol-messages.js';
import { serializeProtocolMessage } from '../protocol/serialize-protocol-message.js';
import type { Redactor } from '../secrets/redactor.js';
import { terminalLines } from './terminal-text.js';

/**
 * Everything the connector CLI prints goes through here: redacted once the secrets are known,
 * and with `--json`, every stdout line a typed message of the line protocol (`@lake/sdk/protocol`).
 */
export class CliOutput {
  readonly #stdout: NodeJS.WritableStream;
  readonly #stderr: NodeJS.WritableStream;
  /** `--json`: speak the line protocol instead of text for people. */
  json: boolean;
  /** Set once the context is read: from then on, every secret in it is masked. */
  redactor: Redactor | undefined;

  constructor(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, json: boolean) {
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.json = json;
  }

  out(text: string): void {
    this.#print(this.#stdout, text);
  }

  err(text: string): void {
    this.#print(this.#stderr, text);
  }

  message(message: ProtocolMessage): void {
    this.out(`${serializeProtocolMessage(message)}\n`);
  }

  /** Log entries: protocol messages with `--json`, terminal-safe lines on stderr without. */
  readonly logSink = (entry: LogEntry): void => {
    if (this.json) this.message({ type: 'log', ...entry });
    else this.err(`${terminalLines(formatLogLine(entry))}\n`);
  };

  #print(stream: NodeJS.WritableStream, text: string): void {
    stream.write(this.redactor ? this.redactor.redactExact(text) : text);
  }
}
