import { spawn } from 'node:child_process';
import { formatTable } from '@lake/sdk/cli';
import { runDoctor } from '../../doctor/doctor.js';
import { RuntimeError } from '../../errors.js';
import { connectorCliPath, readInstallSet } from '../../install/install-set.js';
import { readLockfile } from '../../install/lockfile.js';
import { verifyInstall } from '../../install/verify.js';
import { loadManifest } from '../../manifest/load-manifest.js';
import { normalizeRequest } from '../../manifest/manifest-schema.js';
import { type CommandHandler, print, printJson } from '../command-context.js';

const list: CommandHandler = async (context) => {
  const [manifest, lock, set] = await Promise.all([
    loadManifest(context.paths),
    readLockfile(context.paths),
    readInstallSet(context.paths),
  ]);
  const rows = Object.keys(manifest.connectors)
    .sort()
    .map((name) => {
      const request = normalizeRequest(manifest.connectors[name]!);
      const entry = lock?.connectors[name];
      const installed = set.connectors[name];
      return {
        name,
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
    });
  if (context.json) printJson(context, rows);
  else {
    print(
      context,
      formatTable(
        ['connector', 'version', 'source', 'pinned by', 'installed'],
        rows.map((row) => [row.name, row.version ?? '-', row.source, row.pinnedBy, row.installed ? 'yes' : 'no']),
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
  if (!installed) {
    throw new RuntimeError('NOT_INSTALLED', `${name} is not installed in ${context.paths.root} (lake add ${name})`);
  }
  const text = await captureOutput(process.execPath, [connectorCliPath(context.paths, installed), 'info', '--json']);
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
  print(
    context,
    formatTable(
      ['stream', 'kind', 'incremental', 'tool tables', 'domain tables'],
      described.streams.map((stream) => [
        stream.name,
        stream.kind,
        stream.incremental ? 'yes' : 'no',
        stream.toolTables.join(', '),
        stream.domainTables.join(', '),
      ]),
    ),
  );
  for (const [part, schema] of Object.entries(described.schemas)) {
    print(context, `\n${part} settings:\n${JSON.stringify(schema, null, 2)}`);
  }
  return 0;
};

const verify: CommandHandler = async (context) => {
  const results = await verifyInstall(context.paths);
  if (context.json) printJson(context, results);
  else {
    for (const result of results) {
      print(
        context,
        `${result.ok ? 'ok  ' : 'FAIL'} ${result.name} ${result.version}${result.ok ? '' : `: ${result.problems.join('; ')}`}`,
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
  const checks = await runDoctor(context.paths, { environment: context.environment });
  if (context.json) printJson(context, checks);
  else
    for (const check of checks)
      print(context, `${check.ok ? 'ok  ' : 'FAIL'} ${check.check.padEnd(10)} ${check.detail}`);
  return checks.every((check) => check.ok) ? 0 : 1;
};

export const inspectCommands = { list, info, verify, doctor } satisfies Record<string, CommandHandler>;

function captureOutput(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new RuntimeError('COMMAND_FAILED', `${args[0]} info exited with ${code}: ${stderr.trim()}`));
    });
  });
}
