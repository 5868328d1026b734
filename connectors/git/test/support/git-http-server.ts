import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip } from 'node:zlib';

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The Authorization header of every request, in order (to prove what the client sent). */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

/**
 * A real smart-HTTP git server on loopback: Basic auth in front of `git http-backend` run as
 * a CGI program over the repositories under `projectRoot`. Request bodies are streamed to it
 * (gunzipped first when the client compressed them), its answer streamed back.
 */
export async function startGitHttpServer(options: {
  projectRoot: string;
  username: string;
  password: string;
}): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const authorizations: Array<string | undefined> = [];
  const server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="lake-test"', 'Content-Length': '0' });
      response.end();
      return;
    }
    runBackend(request, response, options);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    authorizations,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function runBackend(
  request: IncomingMessage,
  response: ServerResponse,
  options: { projectRoot: string; username: string },
): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const gzipped = request.headers['content-encoding'] === 'gzip';
  const environment: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    REQUEST_METHOD: request.method ?? 'GET',
    QUERY_STRING: url.search.slice(1),
    PATH_INFO: decodeURIComponent(url.pathname),
    CONTENT_TYPE: request.headers['content-type'] ?? '',
    REMOTE_USER: options.username,
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${request.httpVersion}`,
    ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
    // A plain body of known length says so; a chunked or gunzipped one is read to its end.
    ...(!gzipped && request.headers['content-length'] ? { CONTENT_LENGTH: request.headers['content-length'] } : {}),
  };
  const backend = spawn('git', ['http-backend'], { env: environment, stdio: ['pipe', 'pipe', 'inherit'] });
  (gzipped ? request.pipe(createGunzip()) : request).pipe(backend.stdin);
  backend.stdin.on('error', () => {});
  let header = Buffer.alloc(0);
  let headersSent = false;
  backend.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    header = Buffer.concat([header, chunk]);
    const end = header.indexOf('\r\n\r\n');
    if (end < 0) return;
    let status = 200;
    for (const line of header.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    headersSent = true;
    response.write(header.subarray(end + 4));
  });
  backend.on('close', () => {
    if (!headersSent) response.writeHead(502);
    response.end();
  });
}
