import { RuntimeError } from '../../errors.js';
import { serveWebhooks } from '../../run/webhook-receivers.js';
import { type CommandHandler, note } from '../command-context.js';

/**
 * `lake webhook serve [--port <n>] [--host <address>] [--connection <name>]... [--max-body-bytes <n>]`:
 * the webhook connector's receiver for lake.yaml's webhook connections, in the foreground until
 * Ctrl-C or SIGTERM (requests in flight finish first). Its log goes to stderr.
 */
export const webhookCommand: CommandHandler = async (context) => {
  if (context.positionals[0] !== 'serve' || context.positionals.length > 1)
    throw new RuntimeError('USAGE', 'lake webhook serve [--port <n>] [--host <address>] [--connection <name>]...');
  const port = integerOption(context.options.port, 'port', 8080, 0, 65_535);
  const maxBodyBytes = context.options['max-body-bytes'];
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const code = await serveWebhooks(context.paths, {
      environment: context.environment,
      connections: (context.options.connection as string[] | undefined) ?? [],
      port,
      host: (context.options.host as string | undefined) ?? '127.0.0.1',
      ...(maxBodyBytes === undefined
        ? {}
        : { maxBodyBytes: integerOption(maxBodyBytes, 'max-body-bytes', 0, 1, Number.MAX_SAFE_INTEGER) }),
      json: context.json,
      signal: controller.signal,
      onLine: (line) => note(context, line),
    });
    return controller.signal.aborted && code === 0 ? 0 : code;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
};

function integerOption(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max)
    throw new RuntimeError('USAGE', `--${name} must be an integer from ${min} to ${max} (got "${String(value)}")`);
  return number;
}
