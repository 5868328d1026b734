import { RuntimeError } from '../../errors.js';
import { startConsoleServer } from '../../ui/console-server.js';
import { projectQueueSource } from '../../ui/project-queue-source.js';
import { type CommandHandler, note, print } from '../command-context.js';

/**
 * `lake ui [--port <n>] [--host <address>] [--token <token>]`: the console (connectors, runs,
 * DORA) until Ctrl-C or SIGTERM. Loopback needs no token; any other address needs one
 * (`--token` or LAKE_UI_TOKEN), which the output never shows.
 */
export const uiCommand: CommandHandler = async (context) => {
  if (context.positionals.length > 0) throw new RuntimeError('USAGE', 'lake ui [--port <n>] [--host <address>]');
  const portText = (context.options.port as string | undefined) ?? '4321';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RuntimeError('USAGE', `--port must be an integer from 0 to 65535 (got "${portText}")`);
  const token = (context.options.token as string | undefined) ?? context.environment.LAKE_UI_TOKEN;
  const queue = projectQueueSource(context.paths, context.environment);
  const running = await startConsoleServer({
    paths: context.paths,
    queue,
    environment: context.environment,
    host: (context.options.host as string | undefined) ?? '127.0.0.1',
    port,
    ...(token ? { token } : {}),
  });
  // One line: whoever started `lake ui --port 0 --json` reads where it listens from the first line.
  if (context.json) print(context, JSON.stringify({ url: running.url, token: Boolean(token) }));
  else {
    print(context, `lake console on ${running.url} (read-only; Ctrl-C stops it)`);
    if (token) note(context, `open ${running.url}#token=<your token> (the token is not shown here)`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  await queue.close();
  return 0;
};
