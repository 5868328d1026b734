import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RegistryMetric } from '@lake/registry';
import semver from 'semver';

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

interface MetricPackageJson {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  bin?: unknown;
  lake?: unknown;
  dependencies?: Record<string, string>;
}

/**
 * The metric packages of the workspace: every `packages/metrics-<name>` directory, read from
 * its package.json (`lake: { metric, contract }`, the `lake-metrics-<name>` bin) and its built
 * entry point, whose `STEP_NAMES` export lists the steps `run` runs, in order. A problem is
 * named by directory and field, like a connector's.
 */
export async function buildMetricEntries(
  root: string,
  workspace: { sdkVersion: string; shippedMetrics: Record<string, string> },
  reportProblem: (text: string) => void,
): Promise<RegistryMetric[]> {
  const directories = (await readdir(join(root, 'packages'), { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('metrics-'))
    .map((entry) => entry.name)
    .sort();
  const entries: RegistryMetric[] = [];
  for (const directory of directories) {
    const entry = await metricEntry(root, directory, workspace, (problem) =>
      reportProblem(`packages/${directory}: ${problem}`),
    );
    if (entry) entries.push(entry);
  }
  return entries;
}

async function metricEntry(
  root: string,
  directory: string,
  workspace: { sdkVersion: string; shippedMetrics: Record<string, string> },
  reportProblem: (text: string) => void,
): Promise<RegistryMetric | undefined> {
  let problems = 0;
  const problem = (text: string) => {
    problems += 1;
    reportProblem(text);
  };
  const name = directory.slice('metrics-'.length);
  const base = join(root, 'packages', directory);
  const manifest = JSON.parse(await readFile(join(base, 'package.json'), 'utf8')) as MetricPackageJson;
  const lake = (manifest.lake ?? undefined) as Record<string, unknown> | undefined;
  if (manifest.name !== `@lake/metrics-${name}`) {
    problem(`package.json name: expected "@lake/metrics-${name}", found ${JSON.stringify(manifest.name)}`);
  }
  if (typeof manifest.version !== 'string' || !semver.valid(manifest.version)) {
    problem(`package.json version: expected a semver version, found ${JSON.stringify(manifest.version)}`);
  }
  if (typeof manifest.description !== 'string' || manifest.description.length === 0) {
    problem('package.json description: missing');
  }
  if (!lake || typeof lake !== 'object') problem('package.json lake: missing (a metric declares { metric, contract })');
  else {
    if (lake.metric !== name)
      problem(`package.json lake.metric: expected "${name}", found ${JSON.stringify(lake.metric)}`);
    if (typeof lake.contract !== 'string' || semver.validRange(lake.contract) === null) {
      problem(
        `package.json lake.contract: expected a semver range such as ^1.0.0, found ${JSON.stringify(lake.contract)}`,
      );
    }
    for (const key of Object.keys(lake)) {
      if (!['metric', 'contract'].includes(key)) problem(`package.json lake.${key}: unknown field`);
    }
  }
  const bins = (typeof manifest.bin === 'object' && manifest.bin ? manifest.bin : {}) as Record<string, string>;
  if (!bins[`lake-metrics-${name}`]) problem(`package.json bin.lake-metrics-${name}: missing (the metric CLI)`);
  const dependencies = Object.entries(manifest.dependencies ?? {})
    .filter(([dependency]) => dependency !== '@lake/sdk')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([dependency, version]) => {
      if (!EXACT_VERSION.test(version)) {
        problem(`package.json dependencies.${dependency}: "${version}" is not an exact version (pin it, e.g. "1.2.3")`);
      }
      return { name: dependency, version };
    });
  if (manifest.dependencies?.['@lake/sdk'] !== 'workspace:^') {
    problem('package.json dependencies.@lake/sdk: expected "workspace:^"');
  }
  const steps = await stepNames(base, problem);
  if (problems > 0 || !lake || !steps) return undefined;
  return {
    kind: 'metric',
    name,
    package: manifest.name as string,
    version: manifest.version as string,
    description: manifest.description as string,
    support: name in workspace.shippedMetrics ? 'core' : 'community',
    contract: lake.contract as string,
    sdk: `^${workspace.sdkVersion}`,
    docs: `packages/${directory}/README.md`,
    steps,
    dependencies,
  };
}

/** The `STEP_NAMES` export of the metric's built entry point. */
async function stepNames(base: string, problem: (text: string) => void): Promise<string[] | undefined> {
  try {
    const module = (await import(pathToFileURL(join(base, 'dist', 'index.js')).href)) as { STEP_NAMES?: unknown };
    if (Array.isArray(module.STEP_NAMES) && module.STEP_NAMES.every((step) => typeof step === 'string')) {
      return [...(module.STEP_NAMES as string[])];
    }
    problem('dist/index.js: exports no STEP_NAMES (the steps `run` runs, in order)');
  } catch (error) {
    problem(`dist/index.js could not be loaded (build the metric first): ${(error as Error).message.split('\n')[0]}`);
  }
  return undefined;
}
