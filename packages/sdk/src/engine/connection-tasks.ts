import type { ConnectionContext } from '../contract/context.js';
import type {
  Connector,
  RemoteScopePage,
  RemoteScopeRequest,
  TestConnectionResult,
} from '../contract/define-connector.js';
import { createDomainIds } from '../domain/domain-ids.js';
import { LakeError, messageOf } from '../errors/lake-error.js';
import { createLogger, type LogLevel, type LogSink } from '../logging/logger.js';
import { Redactor } from '../secrets/redactor.js';
import { collectSecrets } from '../secrets/secret.js';
import { validateContext } from './sync-context.js';

export interface ConnectionTaskRequest {
  connector: Connector;
  /** A context with at least `connection`. */
  context: unknown;
  signal?: AbortSignal;
  logSink?: LogSink;
  logLevel?: LogLevel;
}

/** Runs `work` with a parsed connection, its client and a redacting logger; closes the client after. */
async function withConnection<T>(
  request: ConnectionTaskRequest,
  work: (context: ConnectionContext<never>, redactor: Redactor) => Promise<T>,
): Promise<T> {
  const { connector } = request;
  const validated = validateContext(connector, request.context, ['connection']);
  const redactor = new Redactor(collectSecrets(validated.connection));
  const logger = createLogger({
    level: request.logLevel ?? 'info',
    sink: request.logSink ?? (() => {}),
    redactor,
    fields: { connector: connector.name },
  });
  const signal = request.signal ?? new AbortController().signal;
  const client = await connector.client?.({ connection: validated.connection as never, logger, signal, redactor });
  try {
    return await work(
      {
        connector: connector.name,
        connection: validated.connection as never,
        client: client as never,
        ids: createDomainIds(connector.name, validated.connection.id),
        logger,
        signal,
      },
      redactor,
    );
  } finally {
    if (client !== undefined) await connector.closeClient?.(client as never);
  }
}

/**
 * Checks that the connection works. A failure is a result (`ok: false`) with a redacted
 * message, not an exception, so callers can show it as is.
 */
export async function runTestConnection(request: ConnectionTaskRequest): Promise<TestConnectionResult> {
  return withConnection(request, async (context, redactor) => {
    try {
      const result = await request.connector.testConnection(context);
      return redactor.redactValue(result);
    } catch (error) {
      const message = messageOf(error);
      const code = error instanceof LakeError ? error.code : 'CONNECTION_FAILED';
      return { ok: false, message: redactor.redact(message), details: { code } };
    }
  });
}

/** Lists groups (no `groupId`) or the scopes inside one group, a page at a time. */
export async function runListRemoteScopes(
  request: ConnectionTaskRequest & RemoteScopeRequest,
): Promise<RemoteScopePage<unknown>> {
  const { connector } = request;
  if (!connector.listRemoteScopes) {
    throw new LakeError('NOT_SUPPORTED', 'this connector cannot list remote scopes', { source: connector.name });
  }
  const listRemoteScopes = connector.listRemoteScopes;
  return withConnection(request, async (context, redactor) => {
    const page = await listRemoteScopes(context, {
      ...(request.groupId === undefined ? {} : { groupId: request.groupId }),
      ...(request.pageToken === undefined ? {} : { pageToken: request.pageToken }),
    });
    return redactor.redactValue(page);
  });
}
