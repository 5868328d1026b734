import type { ProtocolMessage } from './protocol-messages.js';
import { PROTOCOL_VERSION } from './protocol-version.js';

/**
 * One protocol line (without its newline): the message as JSON, `type` first, stamped with
 * this SDK's `protocolVersion`.
 *
 *   process.stdout.write(`${serializeProtocolMessage({ type: 'sync-skip', syncId, reason })}\n`);
 */
export function serializeProtocolMessage(message: ProtocolMessage): string {
  const { type, ...fields } = message;
  return JSON.stringify({ type, protocolVersion: PROTOCOL_VERSION, ...fields });
}
