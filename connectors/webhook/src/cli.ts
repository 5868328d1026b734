#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=100
import { main } from '@lake/sdk/cli';
import packageJson from '../package.json' with { type: 'json' };
import { webhookConnector } from './connector.js';
import { runServeCommand } from './serve-command.js';

if (process.argv[2] === 'serve') {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  process.exitCode = await runServeCommand(process.argv.slice(3), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
} else {
  await main(webhookConnector, { version: packageJson.version });
}
