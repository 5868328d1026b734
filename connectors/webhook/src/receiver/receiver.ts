import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Secret, Store, z } from '@lake/sdk';
import { webhookIds } from '../domain-ids.js';
import { bearerTokenOf, tokenMatches } from './bearer-token.js';
import { deploymentPayload } from './deployment-payload.js';
import { closePayload, incidentPayload } from './incident-payload.js';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from './read-json-body.js';
import { withWriteRetries } from './transient-failure.js';
import { type FieldProblem, WebhookError } from './webhook-error.js';
import { type WriteOutcome, writeDeployment } from './write-deployment.js';
import { closeIncident, writeIncident } from './write-incident.js';

/** A webhook connection the receiver accepts posts for. */
export interface ReceiverConnection {
  id: number;
  token: Secret;
}

/** One line per request; never carries headers or bodies, so never a token. */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  code?: string;
  connectionId?: number;
  durationMs: number;
  /** Why a write failed, for the operator (the caller only learns that it did). */
  failure?: string;
}

export interface ReceiverOptions {
  store: Store;
  connections: readonly ReceiverConnection[];
  /** Bodies over this many bytes are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number;
  log?: (entry: RequestLogEntry) => void;
  /** The clock, for tests: when a request counts as received. */
  now?: () => Date;
}

export interface WebhookReceiver {
  readonly server: Server;
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

const CONNECTION_ROUTE = /^\/connections\/([1-9][0-9]{0,9})\/?$/;
const ROUTE = /^\/connections\/([1-9][0-9]{0,9})\/(deployments|incidents)(?:\/([^/]+)\/(close))?\/?$/;

/**
 * The webhook receiver: an HTTP server that takes deployments and incidents from CI and incident
 * tools and writes them into the lake, each POST in one transaction.
 *
 *   POST /connections/<id>/deployments              a deployment and its commits
 *   POST /connections/<id>/incidents                an incident (an issue of type INCIDENT)
 *   POST /connections/<id>/incidents/<key>/close    marks a posted incident resolved
 *   GET  /connections/<id>                          200 when the token is the connection's (test-connection)
 *   GET  /health                                    200 while the receiver runs
 *
 * Every POST needs `Authorization: Bearer <the connection's token>`. Answers 201 with
 * `{"id", "created": true}` for a new id and 200 with `"created": false` when the id was posted
 * before (its rows are replaced, never duplicated); refusals are `{"error": {"code", "message",
 * "fields"?}}` with a 4xx status, and nothing of a refused request is written.
 */
export function createWebhookReceiver(options: ReceiverOptions): WebhookReceiver {
  const state: ReceiverState = {
    options,
    limit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    now: options.now ?? (() => new Date()),
    connections: new Map(options.connections.map((connection) => [connection.id, connection])),
    writing: new Map(),
  };
  const server = createServer((request, response) => respond(state, request, response));
  return {
    server,
    listen: (port, host = '127.0.0.1') => listen(server, port, host),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/** What the request handlers share: the options, the connections by id, the writes in flight by id. */
interface ReceiverState {
  options: ReceiverOptions;
  limit: number;
  now: () => Date;
  connections: Map<number, ReceiverConnection>;
  writing: Map<string, Promise<unknown>>;
}

type LogLine = Omit<RequestLogEntry, 'durationMs'>;

function respond(state: ReceiverState, request: IncomingMessage, response: ServerResponse): void {
  const started = performance.now();
  handle(state, request, response).then(
    (entry) => state.options.log?.({ ...entry, durationMs: performance.now() - started }),
    (error: unknown) => {
      // handle() answers every request itself; reaching here means the socket broke mid-answer.
      state.options.log?.({
        method: request.method ?? '',
        path: pathOf(request),
        status: 500,
        durationMs: performance.now() - started,
        failure: (error as Error).message,
      });
      response.destroy();
    },
  );
}

async function handle(state: ReceiverState, request: IncomingMessage, response: ServerResponse): Promise<LogLine> {
  const method = request.method ?? '';
  const path = pathOf(request);
  let connectionId: number | undefined;
  try {
    if (path === '/health') {
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed('GET');
      return answer(response, { method, path }, 200, { status: 'ok' });
    }
    const connectionRoute = CONNECTION_ROUTE.exec(path);
    if (connectionRoute !== null) {
      if (method !== 'GET') throw methodNotAllowed('GET');
      connectionId = Number(connectionRoute[1]);
      authenticate(state, connectionId, request);
      const base = `/connections/${connectionId}`;
      return answer(response, { method, path, connectionId }, 200, {
        connection: connectionId,
        deployments: `${base}/deployments`,
        incidents: `${base}/incidents`,
      });
    }
    const route = ROUTE.exec(path);
    if (route === null) throw new WebhookError('WEBHOOK_NOT_FOUND', `no such endpoint: ${path}`);
    if (method !== 'POST') throw methodNotAllowed('POST');
    connectionId = Number(route[1]);
    const outcome = await post(state, route, request);
    return answer(response, { method, path, connectionId }, outcome.created ? 201 : 200, outcome);
  } catch (error) {
    return refuse(request, response, error, { method, path, ...(connectionId === undefined ? {} : { connectionId }) });
  }
}

/** A POST to one of the write endpoints, authenticated, read, checked and written. */
async function post(state: ReceiverState, route: RegExpExecArray, request: IncomingMessage): Promise<WriteOutcome> {
  const [path, connectionId, kind, incidentKey, close] = route;
  const ids = webhookIds(authenticate(state, Number(connectionId), request).id);
  const body = await readJsonBody(request, state.limit);
  const received = state.now();
  const { store } = state.options;
  if (kind === 'deployments') {
    if (close !== undefined) throw new WebhookError('WEBHOOK_NOT_FOUND', `no such endpoint: ${path}`);
    const deployment = parse(deploymentPayload, body);
    return serialized(state, ids.deployment(deployment.id), () => writeDeployment(store, ids, deployment, received));
  }
  if (close === undefined) {
    const incident = parse(incidentPayload, body);
    return serialized(state, ids.incident(incident.id), () => writeIncident(store, ids, incident, received));
  }
  const callerId = decodeURIComponent(incidentKey!);
  const { resolvedDate } = parse(closePayload, body);
  const outcome = await serialized(state, ids.incident(callerId), () =>
    closeIncident(store, ids, callerId, resolvedDate ?? received),
  );
  if (outcome === undefined)
    throw new WebhookError(
      'WEBHOOK_NOT_FOUND',
      `no incident "${callerId}" was posted to connection ${ids.connectionId}`,
    );
  return outcome;
}

/**
 * Runs a write, again when the database refused it for contention. Writes of one id run one after
 * another in this process (a caller retrying while its first POST is still being written): they
 * would only wait on each other's row locks, or deadlock.
 */
async function serialized<T>(state: ReceiverState, id: string, write: () => Promise<T>): Promise<T> {
  const before = state.writing.get(id) ?? Promise.resolve();
  const attempt = () => withWriteRetries(write);
  const current = before.then(attempt, attempt);
  const settled = current.catch(() => undefined);
  state.writing.set(id, settled);
  try {
    return await current;
  } finally {
    if (state.writing.get(id) === settled) state.writing.delete(id);
  }
}

function authenticate(state: ReceiverState, connectionId: number, request: IncomingMessage): ReceiverConnection {
  const presented = bearerTokenOf(request.headers.authorization);
  const connection = state.connections.get(connectionId);
  // An unknown connection costs the same comparison and gets the same answer as a wrong token:
  // the receiver does not tell which connection ids exist.
  const expected = connection?.token.reveal() ?? UNKNOWN_CONNECTION_TOKEN;
  const matches = presented !== undefined && tokenMatches(presented, expected);
  if (!matches || connection === undefined)
    throw new WebhookError(
      'WEBHOOK_UNAUTHORIZED',
      presented === undefined
        ? 'send the connection’s token as Authorization: Bearer <token>'
        : 'the token is not this connection’s',
    );
  return connection;
}

/** The refusal of a request, with its headers; a failed write becomes a 503 the caller may retry. */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  error: unknown,
  entry: Omit<LogLine, 'status'>,
): LogLine {
  const refusal = error instanceof WebhookError ? error : storeFailure(error);
  if (refusal instanceof AllowError) response.setHeader('allow', refusal.allow);
  if (refusal.code === 'WEBHOOK_UNAUTHORIZED') response.setHeader('www-authenticate', 'Bearer');
  // The rest of a refused body is not read: the connection closes after the answer.
  if (!request.complete) response.setHeader('connection', 'close');
  return {
    ...answer(response, entry, refusal.status, refusal.toJSON()),
    code: refusal.code,
    ...(error instanceof WebhookError ? {} : { failure: (error as Error).message }),
  };
}

async function listen(server: Server, port: number, host: string): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${shownHost}:${address.port}`, port: address.port };
}

/** A token no connection has: what an unknown connection id is compared against. */
const UNKNOWN_CONNECTION_TOKEN = `unknown-connection-${process.pid}-${Math.random()}`;

class AllowError extends WebhookError {
  readonly allow: string;
  constructor(allow: string) {
    super('WEBHOOK_METHOD_NOT_ALLOWED', `use ${allow}`);
    this.allow = allow;
  }
}

function methodNotAllowed(allow: string): WebhookError {
  return new AllowError(allow);
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function answer(
  response: ServerResponse,
  entry: Omit<RequestLogEntry, 'durationMs' | 'status'>,
  status: number,
  body: unknown,
): Omit<RequestLogEntry, 'durationMs'> {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
  return { ...entry, status };
}

function parse<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const fields: FieldProblem[] = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new WebhookError(
    'WEBHOOK_PAYLOAD_INVALID',
    fields.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
    fields,
  );
}

function storeFailure(error: unknown): WebhookError {
  if (error instanceof Error && error.name === 'ValueTooLongError')
    return new WebhookError('WEBHOOK_PAYLOAD_INVALID', error.message);
  return new WebhookError(
    'WEBHOOK_STORE_FAILED',
    'the lake could not store the request; nothing was written, retry it',
  );
}
