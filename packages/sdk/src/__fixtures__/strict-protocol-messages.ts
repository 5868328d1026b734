import { parseProtocolLine } from '../protocol/parse-protocol-line.js';
import type { ProtocolMessage } from '../protocol/protocol-messages.js';

/** Every line of `--json` output, read with the protocol's parser: a line it refuses fails the test. */
export function strictProtocolMessages(stdout: string): ProtocolMessage[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const parsed = parseProtocolLine(line);
      if (!parsed.ok) throw new Error(`not a protocol line (${parsed.problem.message}): ${line}`);
      return parsed.message;
    });
}
