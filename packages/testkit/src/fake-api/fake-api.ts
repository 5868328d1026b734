import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a route handler sees it. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Named segments of the route (`/repos/:owner/:repo` → `{ owner, repo }`). */
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** The token of `Authorization: Bearer|token <token>`, if any. */
  token: string | undefined;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  /** This server's base URL, for building links. */
  baseUrl: string;
  /** How the server is distorting its listings right now (`FakeApi.hostility`); the pagination helpers apply it. */
  hostility: Hostility | undefined;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string | number>;
  body?: unknown;
  /** Set by the pagination helpers (never sent): which page of how many this answer is. */
  page?: { number: number; last: boolean };
}

/**
 * A server that does not keep the promises a connector might rely on. The conformance suite
 * turns each on in turn; a connector's incremental listings must stay exact under all of them.
 */
export interface Hostility {
  /** Serve listings in another order than the one asked for: a fixed shuffle per query, or reversed. */
  order?: 'shuffled' | 'reversed';
  /** Repeat the last item of each page as the first item of the next. */
  duplicateAcrossPages?: boolean;
  /** Answer rate limits (faults and exhausted quotas) without `Retry-After`. */
  dropRetryAfter?: boolean;
  /**
   * Runs once, before the first page of the first listing that has more pages is answered:
   * change the source here (an item updated while paging moves to the last page).
   */
  whilePaging?: () => void | Promise<void>;
}

export type RouteHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** Something going wrong on purpose. */
export type FaultKind =
  /** A status instead of the route's answer (a burst of 502s). */
  | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string | number> }
  /** A 429 (or 403, as GitHub's secondary limit) with Retry-After. */
  | { type: 'rate-limit'; status?: 403 | 429; retryAfterSeconds: number; message?: string }
  /** The connection is destroyed without an answer. */
  | { type: 'reset' }
  /** The route's JSON cut in half, then the response ends cleanly. */
  | { type: 'truncate' }
  /** The route's answer, late. */
  | { type: 'slow'; delayMs: number };

export interface FaultSpec {
  /** Which requests; default every one. */
  match?: { method?: string; path?: string | RegExp };
  /** Matching requests to let through before striking. Default 0. */
  after?: number;
  /** Matching requests it strikes. Default 1. */
  times?: number;
  kind: FaultKind;
}

export interface RateLimitOptions {
  /** Requests per window and token (`X-RateLimit-Limit`). */
  limit: number;
  /** Window length; the reset is the window's end. Default one hour. */
  windowMs?: number;
  /** Status when a token is out of quota: GitHub answers 403. Default 403. */
  status?: 403 | 429;
}

/** One request, as logged. */
export interface FakeRequestRecord {
  method: string;
  path: string;
  query: string;
  token: string | undefined;
  status: number;
  /** Fault that struck, if any. */
  fault: FaultKind['type'] | undefined;
  startedAt: number;
  finishedAt: number;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

interface ArmedFault extends FaultSpec {
  seen: number;
  struck: number;
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) that behaves like an API: routes, pagination, rate
 * limits, latency, and faults injected on purpose. It logs every request, so a test asserts on
 * behaviour ("waited for the reset", "never more than 5 requests in flight").
 *
 *   const api = await startFakeApi();
 *   api.route('GET', '/repos/:owner/:repo/issues', (request) => paginateByLink(issues, request));
 *   api.fault({ match: { path: /issues/ }, after: 3, times: 4, kind: { type: 'status', status: 502 } });
 *   …
 *   expect(api.stats.peakInFlight).toBeLessThanOrEqual(5);
 *   await api.close();
 */
export class FakeApi {
  readonly #server: Server;
  readonly #routes: Route[] = [];
  readonly #faults: ArmedFault[] = [];
  #rateLimit: (RateLimitOptions & { windows: Map<string, { start: number; used: number }> }) | undefined;
  #validToken: ((token: string | undefined) => boolean) | undefined;
  /** Delay before every answer, in milliseconds. */
  latencyMs = 0;
  /** Distortions of listings and rate limits (see `Hostility`); undefined for a well-behaved server. */
  hostility: Hostility | undefined;
  #pagingChangeDone = false;
  readonly log: FakeRequestRecord[] = [];
  readonly stats = { requests: 0, inFlight: 0, peakInFlight: 0 };

  constructor(server: Server) {
    this.#server = server;
  }

  get url(): string {
    const address = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  route(method: string, path: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.#routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  fault(spec: FaultSpec): this {
    this.#faults.push({ ...spec, seen: 0, struck: 0 });
    return this;
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Makes the server hostile (or well-behaved again with `undefined`); `whilePaging` fires once per call. */
  setHostility(hostility: Hostility | undefined): this {
    this.hostility = hostility;
    this.#pagingChangeDone = false;
    return this;
  }

  /** Per-token quota with GitHub's headers (`X-RateLimit-Limit/-Remaining/-Reset/-Used`). */
  rateLimit(options: RateLimitOptions): this {
    this.#rateLimit = { ...options, windows: new Map() };
    return this;
  }

  /** Requests whose token fails `valid` get 401 `Bad credentials`. */
  requireToken(valid: (token: string | undefined) => boolean): this {
    this.#validToken = valid;
    return this;
  }

  /** Requests matching a path (string prefix or pattern), for assertions. */
  requestsTo(path: string | RegExp): FakeRequestRecord[] {
    return this.log.filter((record) =>
      typeof path === 'string' ? record.path.startsWith(path) : path.test(record.path),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  /** @internal */
  async handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const record = this.#begin(incoming);
    const url = new URL(incoming.url ?? '/', this.url);
    const finish = (status: number) => {
      record.status = status;
      record.finishedAt = Date.now();
      this.stats.inFlight -= 1;
      this.log.push(record);
    };
    try {
      const body = await readBody(incoming);
      if (this.latencyMs > 0) await delay(this.latencyMs);
      const fault = this.#strike(record.method, url.pathname);
      record.fault = fault?.type;
      if (fault?.type === 'reset') {
        incoming.socket.destroy();
        finish(0);
        return;
      }
      if (fault?.type === 'slow') await delay(fault.delayMs);
      const injected = fault && this.#injected(fault);
      if (injected) return this.#send(outgoing, injected, finish);
      if (this.#validToken && !this.#validToken(record.token)) return this.#send(outgoing, BAD_CREDENTIALS, finish);
      const quota = this.#consumeQuota(record.token);
      if (quota?.exhausted) return this.#send(outgoing, this.#quotaExhausted(record.token, quota.headers), finish);
      const response = await this.#respond(record, url, incoming, body);
      if (!response) return this.#send(outgoing, { status: 404, body: { message: 'Not Found' } }, finish);
      const headers = { ...quota?.headers, ...response.headers };
      if (fault?.type === 'truncate') return this.#sendTruncated(outgoing, { ...response, headers }, finish);
      this.#send(outgoing, { ...response, headers }, finish);
    } catch (error) {
      this.#send(
        outgoing,
        { status: 500, body: { message: `fake API handler failed: ${(error as Error).message}` } },
        finish,
      );
    }
  }

  /** Counts the request in and starts its log record. */
  #begin(incoming: IncomingMessage): FakeRequestRecord {
    const startedAt = Date.now();
    this.stats.requests += 1;
    this.stats.inFlight += 1;
    this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.stats.inFlight);
    const url = new URL(incoming.url ?? '/', this.url);
    return {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      token: incoming.headers.authorization?.replace(/^(bearer|token)\s+/i, ''),
      status: 0,
      fault: undefined,
      startedAt,
      finishedAt: 0,
    };
  }

  /** The answer of a fault that replaces the route's answer: an injected status or a rate limit. */
  #injected(fault: FaultKind): FakeResponse | undefined {
    if (fault.type === 'status')
      return {
        status: fault.status,
        body: fault.body ?? { message: 'Injected failure' },
        headers: fault.headers ?? {},
      };
    if (fault.type !== 'rate-limit') return undefined;
    return {
      status: fault.status ?? 429,
      headers: this.hostility?.dropRetryAfter ? {} : { 'retry-after': fault.retryAfterSeconds },
      body: {
        message:
          fault.message ?? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      },
    };
  }

  #quotaExhausted(token: string | undefined, headers: Record<string, string | number>): FakeResponse {
    return {
      status: this.#rateLimit?.status ?? 403,
      headers,
      body: {
        message: `API rate limit exceeded for ${token ? 'this token' : '127.0.0.1'}.`,
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      },
    };
  }

  /** The matching route's answer, or undefined when no route matches. */
  async #respond(
    record: FakeRequestRecord,
    url: URL,
    incoming: IncomingMessage,
    body: unknown,
  ): Promise<FakeResponse | undefined> {
    const route = this.#routes.find(
      (candidate) => candidate.method === record.method && candidate.pattern.test(url.pathname),
    );
    if (!route) return undefined;
    const match = route.pattern.exec(url.pathname)!;
    const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
    const response = await route.handler({
      method: record.method,
      path: url.pathname,
      query: url.searchParams,
      params,
      headers: incoming.headers,
      token: record.token,
      body,
      baseUrl: this.url,
      hostility: this.hostility,
    });
    const whilePaging = this.hostility?.whilePaging;
    if (whilePaging && !this.#pagingChangeDone && response.page?.number === 1 && !response.page.last) {
      this.#pagingChangeDone = true;
      await whilePaging();
    }
    return response;
  }

  #strike(method: string, path: string): FaultKind | undefined {
    for (const fault of this.#faults) {
      const { match } = fault;
      if (match?.method && match.method.toUpperCase() !== method) continue;
      if (match?.path && (typeof match.path === 'string' ? !path.startsWith(match.path) : !match.path.test(path)))
        continue;
      fault.seen += 1;
      if (fault.seen <= (fault.after ?? 0) || fault.struck >= (fault.times ?? 1)) continue;
      fault.struck += 1;
      return fault.kind;
    }
    return undefined;
  }

  #consumeQuota(
    token: string | undefined,
  ): { exhausted: boolean; headers: Record<string, string | number> } | undefined {
    const limit = this.#rateLimit;
    if (!limit) return undefined;
    const key = token ?? 'anonymous';
    const now = Date.now();
    const windowMs = limit.windowMs ?? 3_600_000;
    let window = limit.windows.get(key);
    if (!window || now >= window.start + windowMs) {
      window = { start: now, used: 0 };
      limit.windows.set(key, window);
    }
    const exhausted = window.used >= limit.limit;
    if (!exhausted) window.used += 1;
    return {
      exhausted,
      headers: {
        'x-ratelimit-limit': limit.limit,
        'x-ratelimit-remaining': limit.limit - window.used,
        'x-ratelimit-used': window.used,
        'x-ratelimit-reset': Math.ceil((window.start + windowMs) / 1000),
        'x-ratelimit-resource': 'core',
      },
    };
  }

  #send(outgoing: ServerResponse, response: FakeResponse, finish: (status: number) => void): void {
    const status = response.status ?? 200;
    const text = response.body === undefined ? '' : JSON.stringify(response.body);
    outgoing.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...response.headers,
    });
    outgoing.end(text);
    finish(status);
  }

  #sendTruncated(outgoing: ServerResponse, response: FakeResponse, finish: (status: number) => void): void {
    const text = JSON.stringify(response.body ?? {});
    // No content-length: the response ends cleanly after half the body, as a broken proxy would.
    outgoing.writeHead(response.status ?? 200, {
      'content-type': 'application/json; charset=utf-8',
      ...response.headers,
    });
    outgoing.end(text.slice(0, Math.floor(text.length / 2)));
    finish(response.status ?? 200);
  }
}

const BAD_CREDENTIALS: FakeResponse = {
  status: 401,
  body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
};

export interface StartFakeApiOptions {
  /** Port on 127.0.0.1; default a free one (0). */
  port?: number;
}

/** Starts a fake API on 127.0.0.1, on a free port unless one is given. */
export async function startFakeApi(options: StartFakeApiOptions = {}): Promise<FakeApi> {
  let api: FakeApi | undefined;
  const server = createServer((incoming, outgoing) => {
    void api!.handle(incoming, outgoing);
  });
  server.keepAliveTimeout = 5000;
  api = new FakeApi(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return api;
}

async function readBody(incoming: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
