import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RegistryConnector as ConnectorEntry, IntegrationRegistry } from '@lake/registry';
import semver from 'semver';
import { parse } from 'yaml';
import { buildMetricEntries } from './build-metric-entries.ts';

const run = promisify(execFile);

export const REGISTRY_VERSION = 1;
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const DOMAIN_TYPES = ['CODE', 'TICKET', 'CODEREVIEW', 'CROSS', 'CICD'];
const SUPPORTED_SUPPORT_LEVELS = ['core', 'community'] as const;

/** A problem with one connector's sources: its name and the exact field. */
export class RegistryInputError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(
      `[lake] the integration registry cannot be generated:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
    this.name = 'RegistryInputError';
    this.problems = problems;
  }
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  bin?: unknown;
  lake?: unknown;
  dependencies?: Record<string, string>;
}

interface ConnectorInfo {
  streams: Array<{
    name: string;
    kind: string;
    incremental: boolean;
    dependsOn: string[];
    toolTables: string[];
    domainTables: string[];
  }>;
  schemas: {
    connection: Record<string, unknown>;
    scope: Record<string, unknown>;
    scopeConfig: Record<string, unknown>;
  };
}

/**
 * Builds the registry from the workspace at `root`: every directory under `connectors/`,
 * read from its package.json, its built connector CLI (`info --json`), its tests and its
 * `tested-versions.json`; and every metric package (`packages/metrics-*`). Every problem of
 * every package is reported at once.
 */
export async function buildRegistry(root: string): Promise<IntegrationRegistry> {
  const problems: string[] = [];
  const names = (await readdir(join(root, 'connectors'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const sdkVersion = (
    JSON.parse(await readFile(join(root, 'packages/sdk/package.json'), 'utf8')) as { version: string }
  ).version;
  const shippedFile = JSON.parse(await readFile(join(root, 'packages/runtime/shipped-connectors.json'), 'utf8')) as {
    connectors: Record<string, string>;
    metrics?: Record<string, string>;
  };
  const shipped = shippedFile.connectors;
  const lockfile = parse(await readFile(join(root, 'pnpm-lock.yaml'), 'utf8')) as {
    importers: Record<string, { dependencies?: Record<string, { specifier: string; version: string }> }>;
  };
  const connectors: ConnectorEntry[] = [];
  for (const directory of names) {
    const entry = await connectorEntry(root, directory, { sdkVersion, shipped, lockfile }, (problem) =>
      problems.push(`connectors/${directory}: ${problem}`),
    );
    if (entry) connectors.push(entry);
  }
  const metrics = await buildMetricEntries(root, { sdkVersion, shippedMetrics: shippedFile.metrics ?? {} }, (problem) =>
    problems.push(problem),
  );
  if (problems.length > 0) throw new RegistryInputError(problems);
  return { registryVersion: REGISTRY_VERSION, connectors, metrics };
}

async function connectorEntry(
  root: string,
  directory: string,
  workspace: {
    sdkVersion: string;
    shipped: Record<string, string>;
    lockfile: { importers: Record<string, { dependencies?: Record<string, { specifier: string; version: string }> }> };
  },
  reportProblem: (text: string) => void,
): Promise<ConnectorEntry | undefined> {
  let problems = 0;
  const problem = (text: string) => {
    problems += 1;
    reportProblem(text);
  };
  const base = join(root, 'connectors', directory);
  let manifest: PackageJson;
  try {
    manifest = JSON.parse(await readFile(join(base, 'package.json'), 'utf8')) as PackageJson;
  } catch (error) {
    problem(`package.json: ${(error as Error).message}`);
    return undefined;
  }
  const lake = (manifest.lake ?? undefined) as Record<string, unknown> | undefined;
  if (typeof manifest.name !== 'string' || manifest.name !== `@lake/connector-${directory}`) {
    problem(`package.json name: expected "@lake/connector-${directory}", found ${JSON.stringify(manifest.name)}`);
  }
  if (typeof manifest.version !== 'string' || !semver.valid(manifest.version)) {
    problem(`package.json version: expected a semver version, found ${JSON.stringify(manifest.version)}`);
  }
  if (typeof manifest.description !== 'string' || manifest.description.length === 0) {
    problem('package.json description: missing');
  }
  if (!lake || typeof lake !== 'object') {
    problem('package.json lake: missing (a connector declares { connector, contract, domainTypes })');
  } else {
    if (lake.connector !== directory) {
      problem(`package.json lake.connector: expected "${directory}", found ${JSON.stringify(lake.connector)}`);
    }
    if (typeof lake.contract !== 'string' || semver.validRange(lake.contract) === null) {
      problem(
        `package.json lake.contract: expected a semver range such as ^1.0.0, found ${JSON.stringify(lake.contract)}`,
      );
    }
    if (
      !Array.isArray(lake.domainTypes) ||
      lake.domainTypes.length === 0 ||
      !lake.domainTypes.every((type) => DOMAIN_TYPES.includes(type as string))
    ) {
      problem(
        `package.json lake.domainTypes: expected a non-empty list of ${DOMAIN_TYPES.join(', ')}, found ${JSON.stringify(lake.domainTypes)}`,
      );
    }
    for (const key of Object.keys(lake)) {
      if (!['connector', 'contract', 'domainTypes'].includes(key)) problem(`package.json lake.${key}: unknown field`);
    }
  }

  const dependencies: Array<{ name: string; version: string }> = [];
  let sdkRange: string | undefined;
  const locked = workspace.lockfile.importers[`connectors/${directory}`]?.dependencies ?? {};
  for (const [name, specifier] of Object.entries(manifest.dependencies ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name === '@lake/sdk') {
      if (specifier !== 'workspace:^')
        problem(`package.json dependencies.@lake/sdk: expected "workspace:^", found "${specifier}"`);
      sdkRange = `^${workspace.sdkVersion}`;
      continue;
    }
    if (name.startsWith('@lake/')) {
      problem(`package.json dependencies.${name}: a connector depends on no Lake package but @lake/sdk`);
      continue;
    }
    if (!EXACT_VERSION.test(specifier)) {
      problem(`package.json dependencies.${name}: "${specifier}" is not an exact version (pin it, e.g. "1.2.3")`);
      continue;
    }
    const lockedVersion = locked[name]?.version?.replace(/\(.*$/, '');
    if (lockedVersion !== specifier) {
      problem(
        `package.json dependencies.${name}: ${specifier} is not what pnpm-lock.yaml holds (${lockedVersion ?? 'nothing'}); run pnpm install`,
      );
      continue;
    }
    dependencies.push({ name, version: specifier });
  }
  if (!sdkRange) problem('package.json dependencies.@lake/sdk: missing');

  if (!(await exists(join(base, 'README.md')))) problem("README.md: missing (the connector's documentation)");
  if (!(await runsConformanceSuite(join(base, 'test')))) {
    problem('test/: no test runs the conformance suite (testConnector from @lake/testkit)');
  }
  let tested: ConnectorEntry['tested'] | undefined;
  try {
    tested = JSON.parse(await readFile(join(base, 'tested-versions.json'), 'utf8')) as ConnectorEntry['tested'];
    if (!Array.isArray(tested.node) || tested.node.length === 0 || typeof tested.exercised !== 'object') {
      problem(
        'tested-versions.json: expected { node: [...], exercised: {...} } (pnpm registry:update writes it after a passing test run)',
      );
    }
  } catch {
    problem(
      "tested-versions.json: missing (run the connector's tests, then pnpm registry:update: it records what a passing run exercised)",
    );
  }

  const bin =
    typeof manifest.bin === 'object' && manifest.bin
      ? (manifest.bin as Record<string, string>)[`lake-connector-${directory}`]
      : undefined;
  let info: ConnectorInfo | undefined;
  if (!bin) problem(`package.json bin.lake-connector-${directory}: missing (the connector CLI)`);
  else {
    try {
      const { stdout } = await run(process.execPath, [join(base, bin), 'info', '--json'], { cwd: base });
      info = JSON.parse(stdout) as ConnectorInfo;
    } catch (error) {
      problem(`${bin} info --json failed (build the connector first): ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (problems > 0 || !info || !lake || !tested || !sdkRange) return undefined;

  return {
    name: directory,
    package: manifest.name as string,
    version: manifest.version as string,
    description: manifest.description as string,
    support: directory in workspace.shipped ? SUPPORTED_SUPPORT_LEVELS[0] : SUPPORTED_SUPPORT_LEVELS[1],
    contract: lake.contract as string,
    sdk: sdkRange,
    domainTypes: lake.domainTypes as string[],
    docs: `connectors/${directory}/README.md`,
    streams: info.streams.map((stream) => ({
      name: stream.name,
      kind: stream.kind as 'stream' | 'substream',
      incremental: stream.incremental,
      dependsOn: stream.dependsOn,
      toolTables: stream.toolTables,
      domainTables: stream.domainTables,
    })),
    settings: {
      connection: info.schemas.connection,
      scope: info.schemas.scope,
      scopeConfig: info.schemas.scopeConfig,
    },
    secretFields: secretFields(info.schemas.connection),
    dependencies,
    tested: { node: tested.node, exercised: tested.exercised },
  };
}

/** Connection fields marked secret (`x-lake-secret`) in a JSON Schema. */
export function secretFields(schema: Record<string, unknown>): string[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties)
    .filter(([, property]) => property['x-lake-secret'] === true)
    .map(([name]) => name)
    .sort();
}

async function runsConformanceSuite(directory: string): Promise<boolean> {
  let files: string[];
  try {
    files = (await readdir(directory, { recursive: true })).filter((file) => file.endsWith('.test.ts'));
  } catch {
    return false;
  }
  for (const file of files) {
    const text = await readFile(join(directory, file), 'utf8');
    if (/from '@lake\/testkit'/.test(text) && /\btestConnector\(/.test(text)) return true;
  }
  return false;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
