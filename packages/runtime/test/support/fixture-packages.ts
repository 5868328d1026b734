import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Arborist from '@npmcli/arborist';
import pacote from 'pacote';

/** A package as files: `package.json` plus whatever else it ships. */
export interface FixturePackage {
  manifest: Record<string, unknown>;
  files: Record<string, string>;
}

/** Writes a package into a fresh directory and returns that directory. */
export async function writePackage(fixture: FixturePackage, directory?: string): Promise<string> {
  const root = directory ?? (await mkdtemp(join(tmpdir(), 'lake-fixture-')));
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'package.json'), `${JSON.stringify(fixture.manifest, null, 2)}\n`);
  for (const [path, content] of Object.entries(fixture.files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content, { mode: path.endsWith('cli.js') ? 0o755 : 0o644 });
  }
  return root;
}

/** Packs a package the way `npm pack` does (no scripts run). */
export async function packPackage(fixture: FixturePackage): Promise<Buffer> {
  return pacote.tarball(`file:${await writePackage(fixture)}`, { ignoreScripts: true, Arborist });
}

const COUNT_COLLECT = `  async *collect(context) {
    if (context.scope.environmentFile) writeFileSync(context.scope.environmentFile, JSON.stringify(process.env));
    if (context.scope.pidFile) appendFileSync(context.scope.pidFile, context.scope.label + ' ' + process.pid + '\\n');
    context.reportTotal(context.scope.count);
    for (let id = 1; id <= context.scope.count; id += 1) {
      if (FAIL_AFTER >= 0 && id > FAIL_AFTER) {
        throw new Error('the fixture API failed on item ' + id + ' (token ' + context.client.token + ')');
      }
      if (context.scope.delayMs) await new Promise((resolve) => setTimeout(resolve, context.scope.delayMs));
      yield { data: { SCOPE_VALUEid, library: libraryVersion, connector_version: VERSION } };
    }
  },`;

const API_COLLECT = `  async *collect(context) {
    for (let page = 1; page; ) {
      const { body } = await context.client.get('/scopes/' + encodeURIComponent(context.scope.label) + '/items?page=' + page);
      for (const item of body.items) yield { data: { SCOPE_VALUEid: item.id, library: libraryVersion, connector_version: VERSION } };
      page = body.next;
    }
  },`;

/** API_COLLECT, saving the next page as its state after each page: a sync resumes where its last commit left it. */
const RESUMABLE_COLLECT = `  incremental: true,
  async *collect(context) {
    if (context.scope.pidFile) appendFileSync(context.scope.pidFile, context.scope.label + ' ' + process.pid + '\\n');
    for (let page = context.state?.page ?? 1; page; ) {
      const { body } = await context.client.get('/scopes/' + encodeURIComponent(context.scope.label) + '/items?page=' + page);
      for (const item of body.items) yield { data: { SCOPE_VALUEid: item.id, library: libraryVersion, connector_version: VERSION } };
      page = body.next;
      if (page) await context.checkpoint({ page });
    }
  },`;

/** A connector CLI as an SDK older than `serve` builds it: no `commands` in `info`, no `serve`. */
const OLD_SDK_CLI = `if (process.argv[2] === 'serve') {
  process.stderr.write('[lake] unknown command "serve"\\n');
  process.exit(2);
}
if (process.argv[2] === 'info') {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    if (String(chunk).trim() === '') return write(chunk, ...rest);
    const { commands, ...info } = JSON.parse(String(chunk));
    return write(JSON.stringify(info) + '\\n', ...rest);
  };
}
`;

/** `@lake/fixture-shared-lib`: a library two connectors pin at different major versions. */
export function sharedLibrary(version: string): FixturePackage {
  return {
    manifest: { name: '@lake/fixture-shared-lib', version, type: 'module', exports: './index.js' },
    files: { 'index.js': `export const version = ${JSON.stringify(version)};\n` },
  };
}

export interface FixtureConnectorOptions {
  name: string;
  version: string;
  /** `lake.contract`; default ^1.0.0. */
  contract?: string;
  /** The SDK version it depends on; omitted for connectors that are only installed, never run. */
  sdk?: string;
  sharedLibrary?: string;
  /** Makes the stream throw after this many records (a failing sync). */
  failAfter?: number;
  /** Keys `items` by (scope label, id), so every scope of a connection keeps its own rows. */
  scopedIds?: boolean;
  /**
   * Reads the items from an API instead (`settings.url`, bearer `token`), a page at a time
   * (`GET /scopes/<label>/items?page=N`, as testkit's windowed rate-limit fake serves them), with
   * the SDK's ApiClient; implies `scopedIds`.
   */
  api?: boolean;
  /**
   * With `api`: an incremental stream that checkpoints `{ page }` (the next page to read) after
   * each page, so a killed sync resumes at its last committed page; appends its label and pid to
   * `pidFile` as the counting stream does.
   */
  resumable?: boolean;
  /** false: built as if with an SDK older than `serve` (its `info` lists no commands, `serve` is unknown). */
  serve?: boolean;
}

/**
 * A real connector in plain JavaScript on `@lake/sdk`: one stream `items` writing
 * `scope.count` rows into `_tool_<name>_items`, each recording which version of the shared
 * library the connector loaded (so a test sees which dependency tree ran). Its connection
 * takes a secret `token`. A scope may also ask it to wait `delayMs` before each record (a
 * sync that runs long enough to be killed) and to write its environment, names and values,
 * to `environmentFile` (what a connector process can see), and to append its label and its
 * process's pid to `pidFile` (which connector process ran it).
 */
export function fixtureConnector(options: FixtureConnectorOptions): FixturePackage {
  const { name, version } = options;
  const dependencies: Record<string, string> = {};
  if (options.sdk) dependencies['@lake/sdk'] = options.sdk;
  if (options.sharedLibrary) dependencies['@lake/fixture-shared-lib'] = options.sharedLibrary;
  const manifest = {
    name: `@lake/connector-${name}`,
    version,
    description: `Fixture connector ${name} for the runtime's tests`,
    type: 'module',
    bin: { [`lake-connector-${name}`]: './cli.js' },
    lake: { connector: name, contract: options.contract ?? '^1.0.0', domainTypes: ['CROSS'] },
    dependencies,
  };
  if (!options.sdk) {
    // Installed, inspected and verified, never synced.
    return {
      manifest,
      files: {
        'cli.js': `#!/usr/bin/env node\nconsole.log(JSON.stringify({ name: ${JSON.stringify(name)}, version: ${JSON.stringify(version)} }));\n`,
      },
    };
  }
  const library = options.sharedLibrary
    ? `import { version as libraryVersion } from '@lake/fixture-shared-lib';`
    : `const libraryVersion = 'none';`;
  const scoped = options.scopedIds || options.api;
  const scopeColumn = scoped ? 'scope: key(column.varchar(100)), ' : '';
  const scopeValue = scoped ? 'scope: context.scope.label, ' : '';
  const collect = options.api ? (options.resumable ? RESUMABLE_COLLECT : API_COLLECT) : COUNT_COLLECT;
  const body = collect
    .replaceAll('FAIL_AFTER', String(options.failAfter ?? -1))
    .replaceAll('SCOPE_VALUE', scopeValue)
    .replaceAll('VERSION', JSON.stringify(version));
  const index = `${library}
import { appendFileSync, writeFileSync } from 'node:fs';
import { column, createApiClient, defineConnector, defineStream, defineToolTable, key, secret, z } from '@lake/sdk';

const items = defineToolTable()({
  entity: 'items',
  columns: { ${scopeColumn}id: key(column.bigint()), library: column.varchar(), connector_version: column.varchar() },
});

const itemsStream = defineStream({
  name: 'items',
  tables: [items],
${body}
});

export default defineConnector({
  contractVersion: '1.0.0',
  name: ${JSON.stringify(name)},
  description: 'Fixture connector ${name}',
  domainTypes: ['CROSS'],
  connection: z.object({ token: secret().describe('API token')${options.api ? ', url: z.string().url()' : ''} }),
  scope: {
    schema: z.object({
      label: z.string(),
      count: z.number().int().min(0),
      delayMs: z.number().int().min(0).optional(),
      environmentFile: z.string().optional(),
      pidFile: z.string().optional(),
    }),
    id: (scope) => scope.label,
    name: (scope) => scope.label,
  },
  scopeConfig: z.object({}),
  client: ({ connection }) => (${options.api ? "createApiClient({ baseUrl: connection.url, auth: { type: 'bearer', token: connection.token }, budget: { maxInFlight: 2 } })" : '{ token: connection.token.reveal() }'}),
  async testConnection() {
    return { ok: true, message: 'fixture' };
  },
  domainScopes: (context) => [{ table: 'boards', id: context.ids.of('FixtureLabel', context.scopeId) }],
  streams: [itemsStream],
  migrations: {
    '0001-items': {
      async up(context) {
        await context.createToolTable('items', {
          ${scopeColumn}id: key(column.bigint()),
          library: column.varchar(),
          connector_version: column.varchar(),
        });
      },
    },
  },
});
`;
  const cli = `#!/usr/bin/env node
import { main } from '@lake/sdk/cli';
import connector from './index.js';
${options.serve === false ? OLD_SDK_CLI : ''}await main(connector, { version: ${JSON.stringify(version)} });
`;
  return { manifest, files: { 'index.js': index, 'cli.js': cli } };
}

export interface FixtureMetricOptions {
  name: string;
  version: string;
  /** `lake.contract`; default ^1.0.0. */
  contract?: string;
  /** `run` fails: exit 1 with this message on stderr. */
  failRun?: string;
}

/**
 * A metric package in plain JavaScript with no dependencies: `run` reports one step that
 * "wrote" as many rows as the project name has characters into `echo_rows` (so each project's
 * report differs), and appends the project to `<project dir>/.lake/metric-runs.txt`; `report`
 * prints `report of <name> <version> for <project>` with the --from/--to/--bands it got (as
 * JSON with --json). Neither opens the database, which they require in LAKE_DATABASE_URL, never as --db.
 */
export function fixtureMetric(options: FixtureMetricOptions): FixturePackage {
  const { name, version } = options;
  const cli = `#!/usr/bin/env node
import { appendFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string' }, project: { type: 'string' }, json: { type: 'boolean' },
    from: { type: 'string' }, to: { type: 'string' }, bands: { type: 'string' },
  },
});
// The runtime passes the database in the environment: a URL on the command line (ps) fails the test.
if (values.db) { console.error('the database URL must not be on the command line'); process.exit(2); }
if (!process.env.LAKE_DATABASE_URL || !values.project) { console.error('LAKE_DATABASE_URL and --project are required'); process.exit(2); }
if (positionals[0] === 'run') {
  ${options.failRun ? `console.error(${JSON.stringify(options.failRun)}); process.exit(1);` : ''}
  mkdirSync('.lake', { recursive: true });
  appendFileSync('.lake/metric-runs.txt', ${JSON.stringify(name)} + ' ' + values.project + '\\n');
  console.log(JSON.stringify({ project: values.project, steps: [
    { step: 'echo', written: { echo_rows: values.project.length }, deleted: { echo_rows: 1 } },
  ] }));
} else if (positionals[0] === 'report') {
  const report = { metric: ${JSON.stringify(name)}, version: ${JSON.stringify(version)}, project: values.project,
    from: values.from ?? null, to: values.to ?? null, bands: values.bands ?? null };
  console.log(values.json ? JSON.stringify(report)
    : 'report of ' + report.metric + ' ' + report.version + ' for ' + report.project
      + ' from ' + report.from + ' to ' + report.to + ' bands ' + report.bands);
} else { console.error('unknown command ' + positionals[0]); process.exit(2); }
`;
  return {
    manifest: {
      name: `@lake/metrics-${name}`,
      version,
      description: `Fixture metric ${name} for the runtime's tests`,
      type: 'module',
      bin: { [`lake-metrics-${name}`]: './cli.js' },
      lake: { metric: name, contract: options.contract ?? '^1.0.0' },
    },
    files: { 'cli.js': cli },
  };
}
