import { createServer } from 'node:net';
import got from 'got';
import { describe, expect, it } from 'vitest';
import { classifyNetworkError } from './network-failure.js';

/** A port on loopback that nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('network failures', () => {
  it('retries a refused connection (the request never reached the server)', async () => {
    const error = await got(`http://127.0.0.1:${await closedPort()}/`, { retry: { limit: 0 } }).catch(
      (caught: unknown) => caught,
    );
    const failure = classifyNetworkError(error);
    expect(failure).toMatchObject({ code: 'HTTP_NETWORK', retryable: true });
    expect(failure.reason).toMatch(/^ECONNREFUSED: /);
  });

  it('calls a timeout HTTP_TIMEOUT, and does not retry what another attempt cannot fix', () => {
    const timeout = Object.assign(new Error('Timeout awaiting request'), { name: 'TimeoutError' });
    expect(classifyNetworkError(timeout)).toMatchObject({ code: 'HTTP_TIMEOUT', retryable: true });
    expect(classifyNetworkError(new TypeError('Invalid URL'))).toEqual({
      code: 'HTTP_NETWORK',
      retryable: false,
      reason: 'request failed: Invalid URL',
    });
  });
});
