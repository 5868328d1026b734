import { Writable } from 'node:stream';
import type { Store } from '@lake/sdk';
import { describeDatabaseUrl } from '@lake/sdk/host';
import type { CommandName } from '../cli/help.js';
import { runCommand } from '../cli/run-command.js';
import { readLockfile } from '../install/lockfile.js';
import type { ProjectPaths } from '../project/project-paths.js';
import {
  installedMetric,
  lastLine,
  loadMetricSetting,
  type MetricSetting,
  metricsOfProject,
  runMetricProcess,
} from '../run/metric-process.js';
import { type DoraRows, readDoraRows } from './dora-data.js';

/**
 * What the console's JSON API answers, read from the project: the commands' own `--json`
 * answers where a command says it (`list`, `verify`, `outdated`, `search`, `status`), so the
 * page and the terminal never disagree, and the dora tables for the DORA page.
 */
export class ConsoleData {
  readonly #paths: ProjectPaths;
  readonly #environment: NodeJS.ProcessEnv;
  #setting: Promise<MetricSetting> | undefined;
  #opened: Promise<Store> | undefined;

  constructor(paths: ProjectPaths, environment: NodeJS.ProcessEnv) {
    this.#paths = paths;
    this.#environment = environment;
  }

  /** `lake <command> --json`, run in this process, its answer parsed. */
  async command(command: CommandName, ...argv: string[]): Promise<unknown> {
    let text = '';
    const stdout = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        text += chunk.toString();
        callback();
      },
    });
    const stderr = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    await runCommand(command, [command, ...argv, '--json'], this.#paths.root, {
      stdout,
      stderr,
      stdin: process.stdin,
      environment: this.#environment,
    });
    return JSON.parse(text) as unknown;
  }

  /** Installed connectors and metrics: `list` with `verify`'s result and lake.lock's signatures per package. */
  async connectors(): Promise<unknown> {
    const [listed, verified, lock] = await Promise.all([
      this.command('list'),
      this.command('verify'),
      readLockfile(this.#paths).catch(() => undefined),
    ]);
    const rows = Array.isArray(listed) ? (listed as Array<{ name: string; kind: 'connector' | 'metric' }>) : [];
    const checks = Array.isArray(verified) ? (verified as Array<{ name: string; kind: string }>) : [];
    return rows.map((row) => {
      const locked = (row.kind === 'metric' ? lock?.metrics : lock?.connectors)?.[row.name];
      const keys = [...new Set(Object.values(locked?.signatures ?? {}).map((signature) => signature.keyid))];
      return {
        ...row,
        signature: keys.length > 0 ? { signed: true, keys } : { signed: false, keys: [] },
        verify: checks.find((check) => check.name === row.name && check.kind === row.kind) ?? null,
      };
    });
  }

  /** The projects of lake.yaml with the metrics each runs, and the database (password masked). */
  async projects(): Promise<unknown> {
    const setting = await this.#metricSetting();
    return {
      database: describeDatabaseUrl(setting.databaseUrl),
      projects: Object.entries(setting.manifest.projects).map(([name, project]) => ({
        name,
        description: project.description ?? '',
        metrics: metricsOfProject(setting.manifest, name),
      })),
    };
  }

  /** A project's DORA report (the dora metric's `report --json`) and the rows behind it. */
  async dora(project: string, query: URLSearchParams): Promise<{ report: unknown; error: string | null } & DoraRows> {
    const setting = await this.#metricSetting();
    if (!(project in setting.manifest.projects)) throw new ConsoleNotFound(`no project named "${project}" in lake.yaml`);
    const options = ['from', 'to', 'bands'].flatMap((name) => {
      const value = query.get(name);
      return value ? [`--${name}`, value] : [];
    });
    const [answer, rows] = await Promise.all([
      this.#metric(setting, project, ['report', '--project', project, ...options, '--json']),
      this.#store().then((store) => readDoraRows(store, project)),
    ]);
    return { ...answer, ...rows };
  }

  /** `explain` of one pull request of a project, as the dora metric answers it. */
  async explain(project: string, pullRequest: string): Promise<{ report: unknown; error: string | null }> {
    const setting = await this.#metricSetting();
    if (!(project in setting.manifest.projects)) throw new ConsoleNotFound(`no project named "${project}" in lake.yaml`);
    return this.#metric(setting, project, ['explain', '--project', project, '--pull-request', pullRequest, '--json']);
  }

  async close(): Promise<void> {
    const store = this.#opened;
    this.#opened = undefined;
    if (store) await (await store.catch(() => undefined))?.close();
  }

  async #metric(setting: MetricSetting, project: string, args: string[]): Promise<{ report: unknown; error: string | null }> {
    const name = metricsOfProject(setting.manifest, project).find((metric) => metric === 'dora');
    if (!name) return { report: null, error: `project ${project} does not run the dora metric` };
    try {
      const result = await runMetricProcess(setting, await installedMetric(setting, name), args);
      if (result.exitCode !== 0) return { report: null, error: lastLine(result.stderr) ?? 'the metric failed' };
      return { report: JSON.parse(result.stdout) as unknown, error: null };
    } catch (error) {
      return { report: null, error: (error as Error).message };
    }
  }

  #metricSetting(): Promise<MetricSetting> {
    this.#setting ??= loadMetricSetting(this.#paths, this.#environment);
    this.#setting.catch(() => {
      this.#setting = undefined;
    });
    return this.#setting;
  }

  #store(): Promise<Store> {
    this.#opened ??= this.#metricSetting().then(async (setting) => {
      const { openStore } = await import('@lake/sdk');
      return openStore(setting.databaseUrl, { cwd: this.#paths.root });
    });
    return this.#opened;
  }
}

/** A project or pull request the API does not know: 404. */
export class ConsoleNotFound extends Error {
  readonly code = 'NOT_FOUND';
}
