import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WindowedRateLimitApiOptions {
  /** Requests each credential may send per window. */
  limit: number;
  /** Window length in whole seconds; windows start on multiples of it since the epoch. */
  windowSeconds: number;
  /** Wait before each answer (a latency-bound API). Default 0. */
  latencyMs?: number;
  /** Items each scope has, served a page at a time (`GET /scopes/<scope>/items?page=N`). */
  items?: (scope: string) => number;
  /** Items per page. Default 10. */
  pageSize?: number;
}

/** What the fake saw of one credential: requests per window, and the ones over the limit. */
export interface CredentialTally {
  requests: number;
  /** Requests by window start (epoch s). */
  perWindow: Map<number, number>;
  /** Requests answered 429 because the window's quota was spent. */
  overLimit: number;
}

export interface WindowedRateLimitApi {
  url: string;
  /** By a digest of the Authorization header (the token is not kept). */
  tallies: Map<string, CredentialTally>;
  /** The most requests any credential sent in one window. */
  maxPerWindow(): number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that limits each credential (its `Authorization` header)
 * to `limit` requests per fixed window, answering with `RateLimit-Remaining` and
 * `RateLimit-Reset` (the window's end, Unix seconds, as GitLab sends it) and 429 past the
 * limit. It counts what each credential sends per window, so a test checks the limit was
 * kept by counting, not by timing.
 */
export async function startWindowedRateLimitApi(options: WindowedRateLimitApiOptions): Promise<WindowedRateLimitApi> {
  const tallies = new Map<string, CredentialTally>();
  const server: Server = createServer((request, response) => {
    const answer = () => respond(options, tallies, request, response);
    if (options.latencyMs) setTimeout(answer, options.latencyMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tallies,
    maxPerWindow: () => Math.max(0, ...[...tallies.values()].flatMap((tally) => [...tally.perWindow.values()])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(
  options: WindowedRateLimitApiOptions,
  tallies: Map<string, CredentialTally>,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const authorization = request.headers.authorization;
  if (!authorization) {
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"no credential"}');
    return;
  }
  const credential = createHash('sha256').update(authorization).digest('hex').slice(0, 16);
  const tally = tallies.get(credential) ?? { requests: 0, perWindow: new Map(), overLimit: 0 };
  tallies.set(credential, tally);
  const now = Date.now() / 1000;
  const window = Math.floor(now / options.windowSeconds) * options.windowSeconds;
  const used = (tally.perWindow.get(window) ?? 0) + 1;
  tally.perWindow.set(window, used);
  tally.requests += 1;
  const headers = {
    'content-type': 'application/json',
    'ratelimit-limit': String(options.limit),
    'ratelimit-remaining': String(Math.max(0, options.limit - used)),
    'ratelimit-reset': String(window + options.windowSeconds),
  };
  if (used > options.limit) {
    tally.overLimit += 1;
    response.writeHead(429, headers).end('{"message":"rate limited"}');
    return;
  }
  response.writeHead(200, headers).end(JSON.stringify(pageOf(options, request.url ?? '/')));
}

/** `/scopes/<scope>/items?page=N`: that page of the scope's items; anything else: `{ ok: true }`. */
function pageOf(options: WindowedRateLimitApiOptions, path: string): unknown {
  const url = new URL(path, 'http://fake');
  const match = /^\/scopes\/([^/]+)\/items$/.exec(url.pathname);
  if (!match || !options.items) return { ok: true };
  const scope = decodeURIComponent(match[1]!);
  const pageSize = options.pageSize ?? 10;
  const page = Number(url.searchParams.get('page') ?? '1');
  const total = options.items(scope);
  const first = (page - 1) * pageSize + 1;
  const ids = [];
  for (let id = first; id <= Math.min(total, first + pageSize - 1); id += 1) ids.push(id);
  return { items: ids.map((id) => ({ id })), next: first + pageSize <= total ? page + 1 : null };
}
