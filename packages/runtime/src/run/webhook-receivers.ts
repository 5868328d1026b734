import { Redactor } from '@lake/sdk/host';
import { RuntimeError } from '../errors.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { checkInstalledFiles } from '../trust/files-check.js';
import { resolveConnectorContext } from './connection-context.js';
import { spawnConnector } from './spawn-connector.js';
import { loadWorkingSet } from './working-set.js';

/** The connector whose connections `lake webhook serve` receives for. */
export const WEBHOOK_CONNECTOR = 'webhook';

export interface WebhookServeOptions {
  environment: NodeJS.ProcessEnv;
  /** lake.yaml connection names; default every connection of the webhook connector. */
  connections: readonly string[];
  port: number;
  host: string;
  maxBodyBytes?: number;
  json: boolean;
  /** Stops the receiver: it finishes the requests in flight, then exits. */
  signal: AbortSignal;
  /** Each line the receiver logs, secrets scrubbed. */
  onLine(line: string): void;
}

/**
 * Runs the installed webhook connector's receiver (`lake-connector-webhook serve`) for lake.yaml's
 * webhook connections: their settings resolved (tokens from `${…}` references), handed over on
 * stdin, the database URL in the environment, the connector's files checked against lake.lock
 * first, as for a sync. Resolves with the receiver's exit code once it stopped.
 */
export async function serveWebhooks(paths: ProjectPaths, options: WebhookServeOptions): Promise<number> {
  const manifest = await loadManifest(paths);
  const candidates = manifest.connections
    .map((connection, index) => ({ connection, index }))
    .filter(({ connection }) => connection.connector === WEBHOOK_CONNECTOR);
  for (const name of options.connections) {
    const found = manifest.connections.find((connection) => connection.name === name);
    if (!found) throw new RuntimeError('CONNECTION_UNKNOWN', `no connection named "${name}" in lake.yaml`);
    if (found.connector !== WEBHOOK_CONNECTOR)
      throw new RuntimeError('USAGE', `connection "${name}" is a ${found.connector} connection, not a webhook one`);
  }
  const chosen =
    options.connections.length === 0
      ? candidates
      : candidates.filter(({ connection }) => options.connections.includes(connection.name));
  if (chosen.length === 0)
    throw new RuntimeError('USAGE', 'lake.yaml has no connection of the webhook connector to receive for');
  const installed = (await loadWorkingSet(paths)).get(WEBHOOK_CONNECTOR);
  if (!installed) throw new RuntimeError('NOT_INSTALLED', 'connector webhook is not installed; run `lake install`');
  const check = await checkInstalledFiles(installed.directory, installed.filesDigest);
  if (!check.ok)
    throw new RuntimeError(
      'INTEGRITY_MISMATCH',
      `refusing to run webhook ${installed.version}: ${check.problem} (\`lake install\` reinstalls it from lake.lock)`,
    );
  const redactor = new Redactor();
  const connections: unknown[] = [];
  for (const { index } of chosen) {
    const resolved = await resolveConnectorContext(paths, options.environment, manifest, index);
    for (const value of resolved.substituted) redactor.add(value);
    connections.push(resolved.context.connection);
  }
  const database = await resolveReferences(paths, options.environment, manifest.database, 'database');
  for (const value of database.substituted) redactor.add(value);
  const args = [
    'serve',
    '--context',
    '-',
    '--port',
    String(options.port),
    '--host',
    options.host,
    ...(options.maxBodyBytes === undefined ? [] : ['--max-body-bytes', String(options.maxBodyBytes)]),
    ...(options.json ? ['--json'] : []),
  ];
  // The URL (a password, maybe) in the environment, not on the command line `ps` shows.
  const child = spawnConnector(installed.cli, args, {
    cwd: paths.root,
    environment: options.environment,
    context: { LAKE_DATABASE_URL: database.value },
  });
  child.stdin.end(JSON.stringify({ connections }));
  const forward = (stream: NodeJS.ReadableStream) => {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line !== '') options.onLine(redactor.redact(line));
    });
    stream.on('end', () => {
      if (pending !== '') options.onLine(redactor.redact(pending));
    });
  };
  forward(child.stdout);
  forward(child.stderr);
  const stop = () => child.kill('SIGTERM');
  options.signal.addEventListener('abort', stop, { once: true });
  if (options.signal.aborted) stop();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      options.signal.removeEventListener('abort', stop);
      resolve(code ?? 130);
    });
  });
}
