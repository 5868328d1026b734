import { isProtocolMessageType, type ProtocolMessage, protocolMessageSchema } from './protocol-messages.js';
import { PROTOCOL_VERSION } from './protocol-version.js';

/**
 * Why a line is not a message this reader can use:
 * - `PROTOCOL_LINE_MALFORMED`: not a JSON object with a string `type` (a stray `console.log`,
 *   a line cut short by a kill);
 * - `PROTOCOL_MESSAGE_UNKNOWN`: a `type` this version does not know (readers skip it);
 * - `PROTOCOL_MESSAGE_INVALID`: a known `type` whose fields do not fit it;
 * - `PROTOCOL_VERSION_UNSUPPORTED`: written in a newer protocol than this reader speaks.
 */
export type ProtocolProblemCode =
  | 'PROTOCOL_LINE_MALFORMED'
  | 'PROTOCOL_MESSAGE_UNKNOWN'
  | 'PROTOCOL_MESSAGE_INVALID'
  | 'PROTOCOL_VERSION_UNSUPPORTED';

export interface ProtocolProblem {
  code: ProtocolProblemCode;
  /** For people; never quotes the line (it may hold what a redactor has not seen). */
  message: string;
  /** The line's `type`, when it has one. */
  type?: string;
  /** The line's `protocolVersion`, when it has one. */
  protocolVersion?: number;
}

export type ProtocolLine = { ok: true; message: ProtocolMessage } | { ok: false; problem: ProtocolProblem };

/**
 * Reads one line of a connector's `--json` output: the typed message, or what is wrong with
 * the line. Never throws.
 *
 *   const line = parseProtocolLine(text);
 *   if (line.ok && line.message.type === 'result') …
 */
export function parseProtocolLine(line: string): ProtocolLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return problem('PROTOCOL_LINE_MALFORMED', 'the line is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem('PROTOCOL_LINE_MALFORMED', 'the line is not a JSON object');
  }
  const { type, protocolVersion = 1 } = value as { type?: unknown; protocolVersion?: unknown };
  if (typeof type !== 'string') return problem('PROTOCOL_LINE_MALFORMED', 'the line has no string "type"');
  if (typeof protocolVersion !== 'number' || !Number.isInteger(protocolVersion) || protocolVersion < 1) {
    return problem('PROTOCOL_LINE_MALFORMED', 'its "protocolVersion" is not a positive integer', { type });
  }
  if (protocolVersion > PROTOCOL_VERSION) {
    return problem(
      'PROTOCOL_VERSION_UNSUPPORTED',
      `the connector speaks protocol version ${protocolVersion}, this reader understands up to ${PROTOCOL_VERSION} (upgrade the runtime, or pin an older connector)`,
      { type, protocolVersion },
    );
  }
  if (!isProtocolMessageType(type)) {
    return problem('PROTOCOL_MESSAGE_UNKNOWN', `unknown message type "${type}"`, { type, protocolVersion });
  }
  const parsed = protocolMessageSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`);
    return problem('PROTOCOL_MESSAGE_INVALID', `a "${type}" message that does not fit it: ${issues.join('; ')}`, {
      type,
      protocolVersion,
    });
  }
  return { ok: true, message: parsed.data };
}

function problem(
  code: ProtocolProblemCode,
  message: string,
  facts: { type?: string; protocolVersion?: number } = {},
): ProtocolLine {
  return { ok: false, problem: { code, message, ...facts } };
}

/**
 * The messages of a whole `--json` output, in order; lines that are not messages this reader
 * can use (see `parseProtocolLine`) are left out.
 *
 *   const result = protocolMessagesOf(stdout).findLast((message) => message.type === 'result');
 */
export function protocolMessagesOf(output: string): ProtocolMessage[] {
  const messages: ProtocolMessage[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseProtocolLine(line);
    if (parsed.ok) messages.push(parsed.message);
  }
  return messages;
}
