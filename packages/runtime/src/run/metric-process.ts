import { describeDatabaseUrl, type Redactor } from '@lake/sdk/host';
import { RuntimeError } from '../errors.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ProjectPaths } from '../project/project-paths.js';
import { resolveReferences } from '../secrets/resolve-references.js';
import { redactorFor, urlSecrets } from '../secrets/secret-redactor.js';
import { checkInstalledFiles } from '../trust/files-check.js';
import { spawnConnector } from './spawn-connector.js';
import { loadWorkingSet, type WorkingConnector } from './working-set.js';

/** What a metric needs to run for the projects of lake.yaml: the database, its secrets, the installed metrics. */
export interface MetricSetting {
  paths: ProjectPaths;
  manifest: Manifest;
  /** The database URL, references resolved: it goes to the metric's environment, never to argv or output. */
  databaseUrl: string;
  /** Scrubs the URL and every secret substituted into it from what a metric prints. */
  redactor: Redactor;
  installed: Map<string, WorkingConnector>;
  environment: NodeJS.ProcessEnv;
}

export async function loadMetricSetting(
  paths: ProjectPaths,
  environment: NodeJS.ProcessEnv,
  loaded?: Manifest,
): Promise<MetricSetting> {
  const manifest = loaded ?? (await loadManifest(paths));
  const database = await resolveReferences(paths, environment, manifest.database, 'database');
  const redactor = redactorFor(urlSecrets(database));
  return {
    paths,
    manifest,
    databaseUrl: database.value,
    redactor,
    installed: await loadWorkingSet(paths, 'metric'),
    environment,
  };
}

/** The metrics a project runs: its own list, else every metric of lake.yaml. */
export function metricsOfProject(manifest: Manifest, project: string): string[] {
  return manifest.projects[project]?.metrics ?? Object.keys(manifest.metrics).sort();
}

/** The installed metric `name`, its files checked against lake.lock's digest; refused otherwise. */
export async function installedMetric(setting: MetricSetting, name: string): Promise<WorkingConnector> {
  const installed = setting.installed.get(name);
  if (!installed) {
    throw new RuntimeError(
      'NOT_INSTALLED',
      name in setting.manifest.metrics
        ? `metric ${name} is not installed; run \`lake install\``
        : `metric ${name} is not listed under metrics in lake.yaml`,
    );
  }
  const check = await checkInstalledFiles(installed.directory, installed.filesDigest);
  if (!check.ok) {
    throw new RuntimeError(
      'INTEGRITY_MISMATCH',
      `refusing to run metric ${name} ${installed.version}: ${check.problem} (\`lake install\` reinstalls it from lake.lock)`,
    );
  }
  return installed;
}

export interface MetricProcessResult {
  exitCode: number | null;
  /** Its standard output and error, secrets scrubbed. */
  stdout: string;
  stderr: string;
}

/**
 * Runs `<metric cli> <command> --project <name> …` (the database URL in `LAKE_DATABASE_URL`) with the connector's allowlisted
 * environment and parent watch, and collects what it prints, scrubbed of the database URL.
 */
export function runMetricProcess(
  setting: MetricSetting,
  installed: WorkingConnector,
  args: readonly string[],
  signal?: AbortSignal,
): Promise<MetricProcessResult> {
  // The URL (a password, maybe) in the environment, not on the command line `ps` shows.
  const child = spawnConnector(installed.cli, args, {
    cwd: setting.paths.root,
    environment: setting.environment,
    context: { LAKE_DATABASE_URL: setting.databaseUrl },
  });
  child.stdin.end();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const onAbort = () => child.kill('SIGINT');
  signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode: code,
        stdout: scrub(setting, Buffer.concat(stdout).toString('utf8')),
        stderr: scrub(setting, Buffer.concat(stderr).toString('utf8')),
      });
    });
  });
}

/** Secrets out, and any database URL left described (`postgres://…@host/db` without its password). */
function scrub(setting: MetricSetting, text: string): string {
  return describeDatabaseUrl(setting.redactor.redact(text));
}

/** The last line of a process's output that says something: how it ended. */
export function lastLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .at(-1);
}
