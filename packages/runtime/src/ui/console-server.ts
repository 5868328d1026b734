import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageOf } from '@lake/sdk/host';
import { RuntimeError } from '../errors.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { ConsoleData, ConsoleNotFound } from './console-data.js';
import { readLiveSyncs } from './live-progress.js';
import { noQueueConfigured, type QueueStatusSource } from './queue-status-source.js';
import { findConsoleAssets, readAsset } from './static-assets.js';
import { isLoopbackHost, requestToken, tokenMatches } from './ui-token.js';

export interface ConsoleServerOptions {
  paths: ProjectPaths;
  environment: NodeJS.ProcessEnv;
  /** Default 127.0.0.1; any other address needs `token`. */
  host?: string;
  /** Default 4321; 0 picks a free port. */
  port?: number;
  /** Required by every API request when given (Bearer header or `?token=`); required off loopback. */
  token?: string;
  queue?: QueueStatusSource;
  /** Where the built page is; default the runtime's own copy. */
  assetsDirectory?: string;
  /** How often the live view looks at the progress files; default 500 ms. */
  livePollMs?: number;
}

export interface RunningConsole {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Route = (request: { url: URL; params: string[] }) => Promise<unknown>;

/**
 * `lake ui`'s server: the console's built page and its read-only JSON API (GET only), plus
 * `/api/live/events`, the live view as Server-Sent Events.
 *
 *   const console = await startConsoleServer({ paths, environment: process.env, port: 0 });
 *   await fetch(`${console.url}api/runs`);
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<RunningConsole> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.token)
    throw new RuntimeError('USAGE', `serving on ${host} needs a token: --token <token> or LAKE_UI_TOKEN`);
  const data = new ConsoleData(options.paths, options.environment);
  data.warm();
  const routes = consoleRoutes(data, options);
  const assets = options.assetsDirectory ?? (await findConsoleAssets());
  const streams = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    void handle(request, response, { options, routes, assets, streams }).catch((error) => {
      if (!response.headersSent)
        sendJson(response, 500, { error: { code: 'CONSOLE_FAILED', message: messageOf(error) } });
      else response.end();
    });
  });
  await listen(server, options.port ?? 4321, host);
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    async close() {
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await data.close();
    },
  };
}

function consoleRoutes(data: ConsoleData, options: ConsoleServerOptions): Array<[RegExp, Route]> {
  const queue = options.queue ?? noQueueConfigured;
  return [
    [/^\/api\/connectors$/, () => data.connectors()],
    [/^\/api\/outdated$/, () => data.command('outdated')],
    [/^\/api\/catalog$/, ({ url }) => data.command('search', ...url.searchParams.getAll('q'))],
    [/^\/api\/runs$/, ({ url }) => data.command('status', '--read-only', '--limit', limitOf(url))],
    [/^\/api\/live$/, () => readLiveSyncs(options.paths)],
    [/^\/api\/queue$/, () => queue.status()],
    [/^\/api\/projects$/, () => data.projects()],
    [/^\/api\/dora\/([^/]+)$/, ({ url, params }) => data.doraPage(params[0]!, url.searchParams)],
    [/^\/api\/dora\/([^/]+)\/pull-requests$/, ({ url, params }) => data.pullRequests(params[0]!, url.searchParams)],
    [
      /^\/api\/dora\/([^/]+)\/explain$/,
      ({ url, params }) => data.explain(params[0]!, url.searchParams.get('pullRequest') ?? ''),
    ],
  ];
}

/** The host name of a Host header (`127.0.0.1:4321` → `127.0.0.1`, `[::1]:80` → `::1`). */
function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  const bracketed = /^\[([^\]]+)\]/.exec(host);
  return bracketed ? bracketed[1]! : host.replace(/:\d+$/, '');
}

function limitOf(url: URL): string {
  const limit = Number(url.searchParams.get('limit') ?? '200');
  return String(Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 200);
}

interface Handling {
  options: ConsoleServerOptions;
  routes: Array<[RegExp, Route]>;
  assets: string | undefined;
  streams: Set<ServerResponse>;
}

async function handle(request: IncomingMessage, response: ServerResponse, handling: Handling): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://console.invalid');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return sendJson(response, 405, { error: { code: 'READ_ONLY', message: 'the console is read-only: GET only' } });
  }
  const { token } = handling.options;
  // Without a token only this machine may ask: a page elsewhere that rebinds its own name to
  // 127.0.0.1 still sends that name as Host.
  if (token === undefined && !isLoopbackHost(hostnameOf(request.headers.host))) {
    return sendJson(response, 403, {
      error: { code: 'HOST_REFUSED', message: 'without a token the console answers only to a loopback Host' },
    });
  }
  if (!url.pathname.startsWith('/api/')) return sendAsset(response, handling.assets, url.pathname);
  if (token !== undefined && !tokenMatches(token, requestToken(request.headers.authorization, url))) {
    response.setHeader('WWW-Authenticate', 'Bearer');
    return sendJson(response, 401, { error: { code: 'UNAUTHORIZED', message: 'a valid token is required' } });
  }
  if (url.pathname === '/api/live/events') return streamLive(request, response, handling);
  for (const [pattern, route] of handling.routes) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    try {
      const params = match.slice(1).map((part) => decodeURIComponent(part));
      return sendJson(response, 200, await route({ url, params }));
    } catch (error) {
      const status = error instanceof ConsoleNotFound ? 404 : 500;
      const code = status === 404 ? 'NOT_FOUND' : ((error as { code?: string }).code ?? 'CONSOLE_FAILED');
      return sendJson(response, status, { error: { code, message: messageOf(error) } });
    }
  }
  sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `no API at ${url.pathname}` } });
}

/** The live syncs as Server-Sent Events: the whole list each time it changes, a comment every 15 s. */
function streamLive(request: IncomingMessage, response: ServerResponse, handling: Handling): void {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  handling.streams.add(response);
  let last = '';
  let beats = 0;
  const pollMs = handling.options.livePollMs ?? 500;
  const look = async () => {
    const text = JSON.stringify(await readLiveSyncs(handling.options.paths));
    if (text !== last) {
      last = text;
      response.write(`event: live\ndata: ${text}\n\n`);
    } else if (++beats * pollMs >= 15_000) {
      beats = 0;
      response.write(': still here\n\n');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    void look()
      .catch(() => undefined)
      .finally(() => {
        if (!response.writableEnded) timer = setTimeout(loop, pollMs);
      });
  };
  loop();
  request.on('close', () => {
    clearTimeout(timer);
    handling.streams.delete(response);
    response.end();
  });
}

async function sendAsset(response: ServerResponse, directory: string | undefined, pathname: string): Promise<void> {
  if (!directory) {
    response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('the console page is not built (pnpm --filter @lake/console build)\n');
    return;
  }
  const asset = (await readAsset(directory, pathname)) ?? (await readAsset(directory, '/'));
  response.writeHead(200, {
    'Content-Type': asset!.type,
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  });
  response.end(asset!.body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(body);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
