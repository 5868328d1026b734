import { formatDuration, formatTable } from '@lake/sdk/host';
import { RuntimeError } from '../../errors.js';
import { readInstallSet } from '../../install/install-set.js';
import { loadManifestForDisplay } from '../../manifest/manifest-cache.js';
import type { Manifest } from '../../manifest/manifest-schema.js';
import type { ProjectPaths } from '../../project/project-paths.js';
import { withProjectQueue } from '../../queue/queue-session.js';
import { readQueueStatus } from '../../queue/queue-status.js';
import { findInterruptedScopes, markInterruptedRuns } from '../../run/interrupted-runs.js';
import { recentRuns } from '../../run/run-records.js';
import { manifestScopeId, readScopeNames } from '../../run/scope-names.js';
import { resolveReferences } from '../../secrets/resolve-references.js';
import { type CommandHandler, print, printJson } from '../command-context.js';
import { renderQueueStatus } from '../queue-output.js';

/**
 * `lake status`: the latest runs from `_lake_runs`, newest first, named as lake.yaml names
 * them (connections, and scopes as `lake sync --scope` takes them). Runs whose connector
 * process is gone are marked interrupted first; with `--read-only` (the console) they are only
 * shown so, and nothing is written.
 */
export const statusCommand: CommandHandler = async (context) => {
  const manifest = await loadManifestForDisplay(context.paths);
  const limitText = (context.options.limit as string | undefined) ?? '20';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1)
    throw new RuntimeError('USAGE', `--limit must be a positive whole number (got "${limitText}")`);
  const connectionName = context.options.connection as string | undefined;
  const connection = connectionName ? manifest.connections.find((entry) => entry.name === connectionName) : undefined;
  if (connectionName && !connection)
    throw new RuntimeError('CONNECTION_UNKNOWN', `no connection named "${connectionName}" in lake.yaml`);
  const url = (await resolveReferences(context.paths, context.environment, manifest.database, 'database')).value;
  const readOnly = context.options['read-only'] === true;
  const gone = readOnly
    ? await findInterruptedScopes(url, context.paths.root).catch(() => [])
    : await markInterruptedRuns(url, context.paths.root).then(
        () => [],
        () => [],
      );
  const isGone = (run: { connector: string; connectionId: number; scopeId: string }) =>
    gone.some(
      (scope) =>
        scope.connector === run.connector && scope.connectionId === run.connectionId && scope.scopeId === run.scopeId,
    );
  const scopeNames = await readScopeNames(context.paths);
  const found = await recentRuns(url, context.paths.root, {
    limit,
    ...(connection ? { connector: connection.connector, connectionId: connection.id } : {}),
  });
  const runs = found.map((run) => ({
    ...run,
    status: run.status === 'running' && isGone(run) ? 'interrupted' : run.status,
    scopeId: manifestScopeId(scopeNames, run.connector, run.connectionId, run.scopeId) ?? run.scopeId,
    /** The connector's own id of the scope, as `_lake_runs` holds it. */
    connectorScopeId: run.scopeId,
  }));
  const nameOf = (connector: string, id: number) =>
    manifest.connections.find((entry) => entry.connector === connector && entry.id === id)?.name ??
    `${connector}#${id}`;
  const queue = await withProjectQueue(
    context.paths,
    context.environment,
    (session) => readQueueStatus(session.boss, { limit: Math.max(limit, 50) }),
    manifest,
  );
  if (context.json) {
    const rows = runs.map((run) => ({ connection: nameOf(run.connector, run.connectionId), ...run }));
    // With a queue, an object: the runs and the queue; without, the runs as they always were.
    printJson(context, queue ? { runs: rows, queue } : rows);
    return 0;
  }
  const metrics = await describeInstalledMetrics(context.paths, manifest);
  const queueText = queue ? `\n\n${renderQueueStatus(queue)}` : '';
  if (runs.length === 0) {
    print(context, `no runs yet (lake sync)${metrics}${queueText}`);
    return 0;
  }
  print(
    context,
    formatTable(
      ['started', 'connection', 'scope', 'stream', 'version', 'status', 'records', 'time', 'error'],
      runs.map((run) => [
        run.startedAt
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, 'Z'),
        nameOf(run.connector, run.connectionId),
        run.scopeId,
        run.stream + (run.full ? ' (full)' : ''),
        run.version,
        run.status,
        run.records,
        run.finishedAt ? formatDuration(run.finishedAt.getTime() - run.startedAt.getTime()) : '-',
        run.error.length > 60 ? `${run.error.slice(0, 57)}...` : run.error,
      ]),
    ),
  );
  if (metrics) print(context, metrics.trimStart());
  if (queueText) print(context, queueText.trimStart());
  return 0;
};

/** The installed metrics and the projects each runs for, after the runs (empty when none is installed). */
async function describeInstalledMetrics(paths: ProjectPaths, manifest: Manifest): Promise<string> {
  const installed = (await readInstallSet(paths)).metrics ?? {};
  const lines = Object.keys(installed)
    .sort()
    .map((name) => {
      const projects = Object.keys(manifest.projects).filter((project) =>
        (manifest.projects[project]!.metrics ?? Object.keys(manifest.metrics ?? {})).includes(name),
      );
      return `  ${name} ${installed[name]!.version}: ${projects.length === 0 ? 'no project runs it' : `projects ${projects.join(', ')}`}`;
    });
  return lines.length === 0
    ? ''
    : `\n\nmetrics installed (run after each sync of their projects):\n${lines.join('\n')}`;
}
