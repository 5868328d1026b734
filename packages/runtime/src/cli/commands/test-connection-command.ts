import { join } from 'node:path';
import { protocolMessagesOf } from '@lake/sdk/protocol';
import { RuntimeError } from '../../errors.js';
import { connectorCliPath, readInstallSet } from '../../install/install-set.js';
import { readLockfile } from '../../install/lockfile.js';
import { loadManifest } from '../../manifest/load-manifest.js';
import { resolveConnectorContext } from '../../run/connection-context.js';
import { connectorOutput } from '../../settings/connector-schemas.js';
import { checkInstalledFiles } from '../../trust/files-check.js';
import { type CommandHandler, print, printJson } from '../command-context.js';

/**
 * `lake test-connection <connection>`: the connection's settings, references resolved, handed
 * to its connector's own `test-connection` (on stdin, as a sync gets them), in a process with
 * the same environment allowlist and the same file check as a sync.
 */
export const testConnectionCommand: CommandHandler = async (context) => {
  const name = context.positionals[0];
  const manifest = await loadManifest(context.paths);
  if (!name || context.positionals.length > 1) {
    throw new RuntimeError(
      'USAGE',
      `name one connection: lake test-connection <connection> (connections: ${manifest.connections.map((connection) => connection.name).join(', ') || 'none'})`,
    );
  }
  const index = manifest.connections.findIndex((connection) => connection.name === name);
  if (index === -1) {
    throw new RuntimeError(
      'CONNECTION_UNKNOWN',
      `no connection named "${name}" in lake.yaml (connections: ${manifest.connections.map((connection) => connection.name).join(', ') || 'none'})`,
    );
  }
  const connection = manifest.connections[index]!;
  const [set, lock] = await Promise.all([readInstallSet(context.paths), readLockfile(context.paths)]);
  const installed = set.connectors[connection.connector];
  if (!installed) {
    throw new RuntimeError('NOT_INSTALLED', `connector ${connection.connector} is not installed; run \`lake install\``);
  }
  const check = await checkInstalledFiles(
    join(context.paths.connectors, installed.directory),
    lock?.connectors[connection.connector]?.filesDigest,
  );
  if (!check.ok) {
    throw new RuntimeError(
      'INTEGRITY_MISMATCH',
      `refusing to run ${connection.connector} ${installed.version}: ${check.problem} (\`lake install\` reinstalls it from lake.lock)`,
    );
  }
  const { context: connectorContext, substituted } = await resolveConnectorContext(
    context.paths,
    context.environment,
    manifest,
    index,
  );
  const scrub = (text: string) => substituted.reduce((clean, secret) => clean.split(secret).join('[redacted]'), text);
  let output: string;
  let exitCode = 0;
  try {
    output = await connectorOutput(
      context.paths,
      connectorCliPath(context.paths, installed),
      ['test-connection', '--context', '-', '--json'],
      context.environment,
      JSON.stringify({ connection: connectorContext.connection }),
    );
  } catch (error) {
    const details = (error as RuntimeError).details ?? {};
    exitCode = typeof details.exitCode === 'number' ? details.exitCode : 1;
    output = typeof details.stdout === 'string' ? details.stdout : '';
    if (!output) throw new RuntimeError('COMMAND_FAILED', scrub((error as Error).message));
  }
  const messages = protocolMessagesOf(scrub(output));
  const result = messages.find((message) => message.type === 'result' && message.command === 'test-connection');
  const failure = messages.find((message) => message.type === 'error');
  const answer = result ?? failure;
  if (context.json) printJson(context, { connection: name, connector: connection.connector, ...answer });
  else if (result) print(context, `${result.ok ? 'ok' : 'FAIL'} ${name} (${connection.connector}): ${result.message}`);
  else print(context, `FAIL ${name} (${connection.connector}): ${failure?.message ?? 'no answer'}`);
  if (result) return result.ok ? 0 : 1;
  return exitCode === 2 ? 2 : 1;
};
