import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Store } from '@lake/sdk';
import { describeDatabaseUrl, parseDatabaseUrl } from '@lake/sdk/host';
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
import { liveDirectory } from './live-progress.js';

/**
 * What the console's JSON API answers, read from the project: the commands' own `--json`
 * answers where a command says it (`list`, `verify`, `outdated`, `search`, `status`), so the
 * page and the terminal never disagree, and the dora tables for the DORA page.
 */
export class ConsoleData {
  readonly #paths: ProjectPaths;
  readonly #environment: NodeJS.ProcessEnv;
  #setting: Promise<MetricSetting> | undefined;
  readonly #answers = new Map<string, { version: string; at: number; answer: Promise<DoraAnswer> }>();
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

  /**
   * A project's DORA report (the dora metric's `report --json`) and the rows behind it. The
   * answer is kept until a sync starts, moves or ends (the live progress files change), an
   * SQLite lake's files change, or a minute has passed: running the metric's process costs most of a second, and the page asks
   * again at every visit.
   */
  async dora(project: string, query: URLSearchParams): Promise<DoraAnswer> {
    const key = `${project}?${query.toString()}`;
    const version = await lakeVersion(this.#paths, await this.#sqlitePath());
    const cached = this.#answers.get(key);
    if (cached && cached.version === version && Date.now() - cached.at < ANSWER_TTL_MS) return cached.answer;
    const answer = this.#computeDora(project, query);
    this.#answers.set(key, { version, at: Date.now(), answer });
    answer.catch(() => this.#answers.delete(key));
    return answer;
  }

  /** The DORA answer with only its first PRs: 10,000 PRs are megabytes the page would not show. */
  async doraPage(project: string, query: URLSearchParams): Promise<DoraPage> {
    const answer = await this.dora(project, query);
    return {
      ...answer,
      pullRequests: answer.pullRequests.slice(0, FIRST_PULL_REQUESTS),
      pullRequestCount: answer.pullRequests.length,
    };
  }

  /** The project's PRs from `offset`, at most `limit` (newest merge first, as the DORA answer orders them). */
  async pullRequests(
    project: string,
    query: URLSearchParams,
  ): Promise<{ total: number; pullRequests: DoraRows['pullRequests'] }> {
    const all = (await this.dora(project, new URLSearchParams())).pullRequests;
    const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
    const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 200) || 200));
    return { total: all.length, pullRequests: all.slice(offset, offset + limit) };
  }

  /** Computes every project's DORA answer in the background, so the first visit finds it ready. */
  warm(): void {
    void this.#metricSetting()
      .then(async (setting) => {
        for (const project of Object.keys(setting.manifest.projects)) await this.dora(project, new URLSearchParams());
      })
      .catch(() => undefined);
  }

  async #computeDora(project: string, query: URLSearchParams): Promise<DoraAnswer> {
    const setting = await this.#metricSetting();
    if (!(project in setting.manifest.projects))
      throw new ConsoleNotFound(`no project named "${project}" in lake.yaml`);
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
    if (!(project in setting.manifest.projects))
      throw new ConsoleNotFound(`no project named "${project}" in lake.yaml`);
    return this.#metric(setting, project, ['explain', '--project', project, '--pull-request', pullRequest, '--json']);
  }

  async close(): Promise<void> {
    const store = this.#opened;
    this.#opened = undefined;
    if (store) await (await store.catch(() => undefined))?.close();
  }

  async #metric(
    setting: MetricSetting,
    project: string,
    args: string[],
  ): Promise<{ report: unknown; error: string | null }> {
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

  /** The lake's file when it is SQLite; undefined for a server's database (the minute then bounds what is kept). */
  async #sqlitePath(): Promise<string | undefined> {
    const setting = await this.#metricSetting();
    const location = parseDatabaseUrl(setting.databaseUrl, this.#paths.root);
    return location.dialect === 'sqlite' && location.path !== ':memory:' ? location.path : undefined;
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

/** How long a DORA answer is kept at most, when no sync says the lake changed. */
const ANSWER_TTL_MS = 60_000;

export type DoraAnswer = { report: unknown; error: string | null } & DoraRows;

/** The page of a project's DORA answer the console asks for: the first PRs, the count of all of them. */
export type DoraPage = Omit<DoraAnswer, 'pullRequests'> & {
  pullRequests: DoraRows['pullRequests'];
  pullRequestCount: number;
};

/** PRs sent with the DORA answer; the rest page by page (`/api/dora/<project>/pull-requests`). */
export const FIRST_PULL_REQUESTS = 50;

/**
 * What changes whenever a sync starts, reports progress or ends (the live files' names and
 * times) and, for an SQLite lake, whenever anything is written to it (its files' times: the
 * metrics run after a sync's scopes end, and the webhook receiver writes without a sync).
 */
async function lakeVersion(paths: ProjectPaths, sqlite: string | undefined): Promise<string> {
  const directory = liveDirectory(paths);
  const names = await readdir(directory).catch(() => [] as string[]);
  const files = [...names.map((name) => join(directory, name)), ...(sqlite ? [sqlite, `${sqlite}-wal`] : [])];
  const times = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (info) => `${file}:${info.mtimeMs}`,
        () => file,
      ),
    ),
  );
  return times.sort().join('|');
}

/** A project or pull request the API does not know: 404. */
export class ConsoleNotFound extends Error {
  readonly code = 'NOT_FOUND';
}
