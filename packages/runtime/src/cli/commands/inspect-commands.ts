import { formatTable } from '@lake/sdk/host';
import { RuntimeError } from '../../errors.js';
import { connectorCliPath, readInstallSet } from '../../install/install-set.js';
import { readLockSummary } from '../../install/lock-summary.js';
import { npmContext } from '../../install/npm-options.js';
import { entryOf, type PackageRef, packageLabel, packageRefs } from '../../install/package-kind.js';
import { loadManifestForDisplay } from '../../manifest/manifest-cache.js';
import { normalizeRequest } from '../../manifest/requests.js';
import { connectorInfoText } from '../../settings/connector-schemas.js';
import { type CommandContext, type CommandHandler, print, printJson } from '../command-context.js';

const list: CommandHandler = async (context) => {
  const [manifest, lock, set] = await Promise.all([
    loadManifestForDisplay(context.paths),
    readLockSummary(context.paths),
    readInstallSet(context.paths),
  ]);
  // Connectors, then metrics: both are installed packages lake.yaml requests the same way.
  const rows = packageRefs({ connectors: manifest.connectors, metrics: manifest.metrics ?? {} }).map(
    (ref: PackageRef) => {
      const request = normalizeRequest(entryOf(manifest, ref)!);
      const entry = entryOf(lock, ref);
      const installed = entryOf(set, ref);
      return {
        name: ref.name,
        kind: ref.kind,
        version: installed?.version ?? entry?.version ?? null,
        source: entry?.source ?? (request.kind === 'path' || request.kind === 'tarball' ? request.kind : 'registry'),
        pinnedBy:
          request.kind === 'shipped'
            ? `runtime ${lock?.runtime ?? ''}`.trim()
            : request.kind === 'range'
              ? `lake.yaml ${request.range}`
              : `lake.yaml ${request.kind}`,
        installed: installed !== undefined,
        package: entry?.package ?? null,
      };
    },
  );
  if (context.json) printJson(context, rows);
  else {
    print(
      context,
      formatTable(
        ['package', 'version', 'source', 'pinned by', 'installed'],
        rows.map((row) => [
          packageLabel(row),
          row.version ?? '-',
          row.source,
          row.pinnedBy,
          row.installed ? 'yes' : 'no',
        ]),
      ),
    );
  }
  return 0;
};

const info: CommandHandler = async (context) => {
  const name = context.positionals[0];
  if (!name) throw new RuntimeError('USAGE', 'name a connector: lake info <connector>');
  const set = await readInstallSet(context.paths);
  const installed = set.connectors[name];
  if (!installed) return describeFromCatalog(context, name);
  const text = await connectorInfoText(
    context.paths,
    { directory: installed.directory, cli: connectorCliPath(context.paths, installed) },
    context.environment,
  );
  const described = JSON.parse(text) as {
    name: string;
    version: string;
    description: string;
    contract: { version: string };
    domainTypes: string[];
    streams: Array<{ name: string; kind: string; incremental: boolean; toolTables: string[]; domainTables: string[] }>;
    schemas: Record<string, unknown>;
  };
  if (context.json) {
    printJson(context, described);
    return 0;
  }
  print(context, `${described.name} ${described.version} — ${described.description}`);
  print(context, `contract ${described.contract.version} · domain types ${described.domainTypes.join(', ')}\n`);
  print(context, streamTable(described.streams));
  for (const [part, schema] of Object.entries(described.schemas)) {
    print(context, `\n${part} settings:\n${JSON.stringify(schema, null, 2)}`);
  }
  return 0;
};

const verify: CommandHandler = async (context) => {
  // Loaded here, not with `lake list`: it reads lake.lock itself (the YAML parser, the lock's schema).
  const { verifyInstall } = await import('../../install/verify.js');
  const results = await verifyInstall(context.paths);
  if (context.json) printJson(context, results);
  else {
    for (const result of results) {
      print(
        context,
        `${result.ok ? 'ok  ' : 'FAIL'} ${packageLabel(result)} ${result.version}${result.ok ? '' : `: ${result.problems.join('; ')}`}`,
      );
      const { changed, missing, added } = result.changes;
      for (const file of changed) print(context, `       changed ${file}`);
      for (const file of missing) print(context, `       missing ${file}`);
      for (const file of added) print(context, `       added   ${file}`);
    }
    if (results.length === 0) print(context, 'nothing installed');
  }
  return results.every((result) => result.ok) ? 0 : 1;
};

const doctor: CommandHandler = async (context) => {
  // Loaded here, not with `lake list`: doctor asks the registry (npm's libraries) and the database.
  const { runDoctor } = await import('../../doctor/doctor.js');
  const checks = await runDoctor(context.paths, { environment: context.environment });
  if (context.json) printJson(context, checks);
  else
    for (const check of checks)
      print(context, `${check.ok ? 'ok  ' : 'FAIL'} ${check.check.padEnd(10)} ${check.detail}`);
  return checks.every((check) => check.ok) ? 0 : 1;
};

export const inspectCommands = { list, info, verify, doctor } satisfies Record<string, CommandHandler>;

/** `lake info` for a connector that is not installed: what the published integration registry says. */
async function describeFromCatalog(context: CommandContext, name: string): Promise<number> {
  const manifest = await loadManifestForDisplay(context.paths);
  const { loadCatalog } = await import('../../catalog/integration-registry.js');
  const catalog = await loadCatalog(context.paths, await npmContext(context.paths, manifest, context.environment));
  const entry = catalog.connectors.find((connector) => connector.name === name);
  if (!entry) {
    throw new RuntimeError(
      'CONNECTOR_UNKNOWN',
      `no connector "${name}" in the integration registry (@lake/registry ${catalog.version}); lake search lists them`,
    );
  }
  if (context.json) {
    printJson(context, { ...entry, installed: false, registry: catalog.version });
    return 0;
  }
  print(context, `${entry.name} ${entry.version} (${entry.support}) — ${entry.description}`);
  print(context, `not installed here (lake add ${entry.name}); from @lake/registry ${catalog.version}`);
  print(context, `contract ${entry.contract} · domain types ${entry.domainTypes.join(', ')} · docs ${entry.docs}\n`);
  print(context, streamTable(entry.streams));
  const tested = Object.entries(entry.tested.exercised).map(
    ([subject, versions]) => `${subject} ${versions.join(', ')}`,
  );
  print(context, `\ntested: Node ${entry.tested.node.join(', ')}${tested.length > 0 ? `; ${tested.join('; ')}` : ''}`);
  if (entry.secretFields.length > 0) print(context, `secret settings: ${entry.secretFields.join(', ')}`);
  for (const [part, schema] of Object.entries(entry.settings)) {
    print(context, `\n${part} settings:\n${JSON.stringify(schema, null, 2)}`);
  }
  return 0;
}

function streamTable(
  streams: Array<{ name: string; kind: string; incremental: boolean; toolTables: string[]; domainTables: string[] }>,
): string {
  return formatTable(
    ['stream', 'kind', 'incremental', 'tool tables', 'domain tables'],
    streams.map((stream) => [
      stream.name,
      stream.kind,
      stream.incremental ? 'yes' : 'no',
      stream.toolTables.join(', '),
      stream.domainTables.join(', '),
    ]),
  );
}
