/**
 * @lake/sdk/protocol — the line protocol between a connector's CLI and whoever runs it: the
 * typed messages, the serializer the CLI writes with and the one parser every reader uses.
 * Light on purpose (zod only: no database driver, no HTTP client), so the runtime and tests
 * can import it without loading the rest of the SDK.
 */

export {
  type ProtocolLine,
  type ProtocolProblem,
  type ProtocolProblemCode,
  parseProtocolLine,
  protocolMessagesOf,
} from './protocol/parse-protocol-line.js';
export {
  isProtocolMessageType,
  isSyncResult,
  type ProtocolError,
  type ProtocolErrorMessage,
  type ProtocolLogMessage,
  type ProtocolMessage,
  type ProtocolMessageType,
  type ProtocolRemoteScopesResult,
  type ProtocolRequestEnd,
  type ProtocolResultMessage,
  type ProtocolStreamResult,
  type ProtocolSyncEvent,
  type ProtocolSyncResult,
  type ProtocolTestConnectionResult,
} from './protocol/protocol-messages.js';
export { PROTOCOL_VERSION } from './protocol/protocol-version.js';
export { serializeProtocolMessage } from './protocol/serialize-protocol-message.js';
export { parseSyncRequestLine, type SyncRequestLine, syncRequestSchema } from './protocol/serve-request.js';
