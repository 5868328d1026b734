import { z } from 'zod';

/*
 * The wire protocol between a connector's CLI (`<bin> sync --json`) and whoever runs it (the
 * `lake` runtime, the conformance suite): one JSON object per line on stdout. The schemas
 * here are the only description of those lines; the CLI writes them with
 * `serializeProtocolMessage` and every reader parses them with `parseProtocolLine`.
 *
 * A reader keeps the fields described here and drops others: a newer SDK may add optional
 * fields within the same protocol version, and a reader that does not know them has no use
 * for them.
 */

/** How an error travels: `LakeError.toJSON()`. */
export const protocolErrorSchema = z.object({
  name: z.string(),
  // Any string, not the SDK's own list: a connector built with another SDK version may raise codes this one lacks.
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const logLevel = z.enum(['debug', 'info', 'warn', 'error']);
const streamEndStatus = z.enum(['succeeded', 'failed', 'aborted']);

const syncStartSchema = z.object({
  type: z.literal('sync-start'),
  syncId: z.string(),
  connector: z.string(),
  scopeId: z.string(),
  streams: z.array(z.string()),
});
const syncSkipSchema = z.object({ type: z.literal('sync-skip'), syncId: z.string(), reason: z.string() });
const streamStartSchema = z.object({
  type: z.literal('stream-start'),
  stream: z.string(),
  full: z.boolean(),
  resumed: z.boolean(),
});
const streamProgressSchema = z.object({
  type: z.literal('stream-progress'),
  stream: z.string(),
  records: z.number(),
  /** Absent when the source does not say how many there are. */
  total: z.number().optional(),
  elapsedMs: z.number(),
});
const rowCounts = {
  records: z.number(),
  toolRows: z.number(),
  domainRows: z.number(),
  removed: z.number(),
  elapsedMs: z.number(),
  error: z.string().optional(),
};
const streamEndSchema = z.object({
  type: z.literal('stream-end'),
  stream: z.string(),
  status: streamEndStatus,
  ...rowCounts,
});
const migrationsSchema = z.object({ type: z.literal('migrations'), owner: z.string(), applied: z.array(z.string()) });
const logSchema = z.object({
  type: z.literal('log'),
  level: logLevel,
  message: z.string(),
  time: z.string(),
  fields: z.record(z.string(), z.unknown()),
});

/** One stream's line in a sync's result. */
export const protocolStreamResultSchema = z.object({
  name: z.string(),
  status: z.enum(['succeeded', 'failed', 'aborted', 'not-run']),
  ...rowCounts,
  full: z.boolean(),
  resumed: z.boolean(),
});

const summaryFactSchema = z.object({
  label: z.string(),
  value: z.union([z.string(), z.number()]),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).optional(),
});

const syncResultSchema = z.object({
  type: z.literal('result'),
  command: z.enum(['sync', 'collect', 'extract', 'convert']),
  syncId: z.string(),
  connector: z.string(),
  scopeId: z.string(),
  scopeName: z.string(),
  status: z.enum(['succeeded', 'failed', 'aborted', 'skipped']),
  skipReason: z.string().optional(),
  streams: z.array(protocolStreamResultSchema),
  summary: z.array(summaryFactSchema),
  error: protocolErrorSchema.optional(),
  /** The connector process's peak resident set size so far, in MB (`process.resourceUsage().maxRSS`). */
  peakRssMB: z.number().nonnegative().optional(),
  /**
   * The domain rows that stand for the scope (`repos`, `boards`, `cicd_scopes`), which a
   * runtime maps to its projects (`project_mapping`). Absent from an SDK older than the field.
   */
  domainScopes: z.array(z.object({ table: z.enum(['repos', 'boards', 'cicd_scopes']), id: z.string() })).optional(),
});
const testConnectionResultSchema = z.object({
  type: z.literal('result'),
  command: z.literal('test-connection'),
  ok: z.boolean(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
const remoteScopeEntrySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group'), id: z.string(), name: z.string() }),
  z.object({ kind: z.literal('scope'), id: z.string(), name: z.string(), scope: z.unknown() }),
]);
const remoteScopesResultSchema = z.object({
  type: z.literal('result'),
  command: z.literal('remote-scopes'),
  entries: z.array(remoteScopeEntrySchema),
  nextPageToken: z.string().optional(),
});
const resultSchema = z.discriminatedUnion('command', [
  syncResultSchema,
  testConnectionResultSchema,
  remoteScopesResultSchema,
]);
const errorSchema = protocolErrorSchema.extend({ type: z.literal('error') });
/**
 * `serve` only: the last line of one request's output, after its `result` (or `error`), with
 * the exit code `sync` would have exited with (0, 1, 2 or 130). The process then reads its
 * next request (see `serve-request.ts`). A reader of a per-run process never sees it.
 */
const requestEndSchema = z.object({ type: z.literal('request-end'), exitCode: z.number().int() });

/** Every message of the protocol, told apart by `type` (and `result`s by `command`). */
export const protocolMessageSchema = z.discriminatedUnion('type', [
  syncStartSchema,
  syncSkipSchema,
  streamStartSchema,
  streamProgressSchema,
  streamEndSchema,
  migrationsSchema,
  logSchema,
  resultSchema,
  errorSchema,
  requestEndSchema,
]);

export type ProtocolMessage = z.infer<typeof protocolMessageSchema>;
export type ProtocolMessageType = ProtocolMessage['type'];
/** What a sync reports while it runs (everything but logs, results and errors). */
export type ProtocolSyncEvent = Extract<
  ProtocolMessage,
  { type: 'sync-start' | 'sync-skip' | 'stream-start' | 'stream-progress' | 'stream-end' | 'migrations' }
>;
export type ProtocolLogMessage = z.infer<typeof logSchema>;
export type ProtocolResultMessage = z.infer<typeof resultSchema>;
export type ProtocolSyncResult = z.infer<typeof syncResultSchema>;
export type ProtocolTestConnectionResult = z.infer<typeof testConnectionResultSchema>;
export type ProtocolRemoteScopesResult = z.infer<typeof remoteScopesResultSchema>;
export type ProtocolErrorMessage = z.infer<typeof errorSchema>;
export type ProtocolRequestEnd = z.infer<typeof requestEndSchema>;
export type ProtocolError = z.infer<typeof protocolErrorSchema>;
export type ProtocolStreamResult = z.infer<typeof protocolStreamResultSchema>;

/**
 * Every `type` the protocol knows: a line of another type is reported as unknown, not as
 * invalid. (`satisfies` makes the compiler name a type added to the union but not here.)
 */
const MESSAGE_TYPES = {
  'sync-start': true,
  'sync-skip': true,
  'stream-start': true,
  'stream-progress': true,
  'stream-end': true,
  migrations: true,
  log: true,
  result: true,
  error: true,
  'request-end': true,
} as const satisfies Record<ProtocolMessageType, true>;

export function isProtocolMessageType(type: string): type is ProtocolMessageType {
  return Object.hasOwn(MESSAGE_TYPES, type);
}

/** True for the `result` of a sync (or of one of its phases), not of `test-connection` or `remote-scopes`. */
export function isSyncResult(message: ProtocolMessage): message is ProtocolSyncResult {
  return message.type === 'result' && message.command !== 'test-connection' && message.command !== 'remote-scopes';
}
