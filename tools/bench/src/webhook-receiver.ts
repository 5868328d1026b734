/**
 * A receiver for the webhook load benchmark, in its own process so that its CPU is not the load
 * generator's:
 *   node webhook-receiver.ts <database url> <token>   the webhook connector's receiver on that lake
 *   node webhook-receiver.ts noop <token>             the floor: reads each body, answers 201, stores nothing
 * Prints {"port": …} once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookReceiver, migrateWebhookLake } from '@lake/connector-webhook';
import { openStore, Secret } from '@lake/sdk';

const [target, token] = process.argv.slice(2);

if (target === 'noop') {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const body = JSON.stringify({ id: 'noop', created: true });
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () =>
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`),
  );
} else {
  const store = await openStore(target!);
  await migrateWebhookLake(store);
  const receiver = createWebhookReceiver({ store, connections: [{ id: 1, token: new Secret(token!) }] });
  const { port } = await receiver.listen(0);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}
