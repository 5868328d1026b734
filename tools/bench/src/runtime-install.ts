/**
 * The runtime's speed and footprint, side by side in one run (issue #12): a private registry
 * is started, the workspace's SDK and the git and GitHub connectors are published to it, and
 *
 * - `lake install --frozen` of both connectors into a fresh project is timed next to `pnpm add`
 *   of the same two packages from the same registry into a fresh directory, both with a warm
 *   cache (npm's cache for lake, pnpm's store for pnpm). Target: at most 1.2× pnpm.
 * - the disk a project takes with one connector and with both (`du`: a hard-linked file counts
 *   once). Target: the second connector, sharing the SDK and its drivers, adds at most 20%.
 * - `lake list`, `lake status` and `lake info github` are timed next to `lake --help` (whole
 *   processes). Target: at most 2× `lake --help`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  addUser,
  npmrcFor,
  packAndPublish,
  packageManagerEnvironment,
  startRegistry,
} from '@lake-tools/registry-server';

const run = promisify(execFile);
const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const lakeCli = fileURLToPath(import.meta.resolve('@lake/runtime/package.json')).replace(
  /package\.json$/,
  'dist/cli.js',
);

export interface InstallMeasurement {
  runs: number;
  lakeFrozenMs: number;
  pnpmAddMs: number;
  /** lake install --frozen ÷ pnpm add (target ≤ 1.2). */
  ratio: number;
  oneConnectorMB: number;
  twoConnectorsMB: number;
  /** What the second connector adds to the project's disk, in % of the first (target ≤ 20). */
  secondConnectorPercent: number;
  helpMs: number;
  listMs: number;
  statusMs: number;
  infoMs: number;
  /** `lake info github` the first time, when it asks the connector itself. */
  infoFirstMs: number;
  listRatio: number;
  statusRatio: number;
  infoRatio: number;
}

export async function measureInstall(runs = 3, commandRuns = 20): Promise<InstallMeasurement> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-bench-install-'));
  const registry = await startRegistry({ directory: join(directory, 'registry'), port: 0 });
  try {
    const { token } = await addUser(registry.url, 'bench', randomBytes(12).toString('hex'));
    const published: Record<string, string> = {};
    for (const pkg of ['packages/sdk', 'connectors/git', 'connectors/github']) {
      const { name, version } = await packAndPublish(registry.url, token, join(workspace, pkg));
      published[name] = version;
    }
    // Warm caches on both sides: the user's own (lake's npm cache, pnpm's store), which the
    // workspace install and earlier runs filled, read before the network (a fresh machine
    // fills them once from the npm registry). Each side's first install is not timed.
    const environment = {
      ...packageManagerEnvironment(),
      LAKE_BENCH_TOKEN: token,
      LAKE_PREFER_OFFLINE: '1',
      NODE_COMPILE_CACHE: join(directory, 'compile-cache'),
    };
    const lake = (project: string, ...args: string[]) =>
      timed(process.execPath, [lakeCli, ...args], project, environment);
    const manifest = (connectors: string[]) =>
      `registry:\n  url: ${registry.url}\n  token: \${LAKE_BENCH_TOKEN}\nconnectors:\n${connectors.map((name) => `  ${name}: shipped\n`).join('')}`;

    const one = join(directory, 'one');
    await mkdir(one);
    await writeFile(join(one, 'lake.yaml'), manifest(['git']));
    await lake(one, 'install');
    const both = join(directory, 'both');
    await mkdir(both);
    await writeFile(join(both, 'lake.yaml'), manifest(['git', 'github']));
    await lake(both, 'install');

    const frozen: number[] = [];
    for (let attempt = 0; attempt < runs; attempt += 1) {
      const project = join(directory, `frozen-${attempt}`);
      await mkdir(project);
      await cp(join(both, 'lake.yaml'), join(project, 'lake.yaml'));
      await cp(join(both, 'lake.lock'), join(project, 'lake.lock'));
      frozen.push(await lake(project, 'install', '--frozen'));
    }

    const pnpmEnvironment = packageManagerEnvironment();
    const specs = Object.entries(published)
      .filter(([name]) => name.startsWith('@lake/connector-'))
      .map(([name, version]) => `${name}@${version}`);
    const pnpmAdd = async (name: string) => {
      const project = join(directory, name);
      await mkdir(project);
      await writeFile(join(project, 'package.json'), '{ "name": "bench-pnpm", "private": true }\n');
      await writeFile(join(project, '.npmrc'), npmrcFor(registry.url, token, { scopeOnly: true }));
      return timed('pnpm', ['add', '--prefer-offline', ...specs], project, pnpmEnvironment);
    };
    await pnpmAdd('pnpm-warm');
    const pnpm: number[] = [];
    for (let attempt = 0; attempt < runs; attempt += 1) pnpm.push(await pnpmAdd(`pnpm-${attempt}`));

    const oneKilobytes = await diskKilobytes(join(one, '.lake'));
    const bothKilobytes = await diskKilobytes(join(both, '.lake'));

    const infoFirstMs = await lake(both, 'info', 'github');
    const commands: Record<string, number> = {};
    for (const [key, args] of [
      ['help', ['--help']],
      ['list', ['list']],
      ['status', ['status']],
      ['info', ['info', 'github']],
    ] as const) {
      const times: number[] = [];
      for (let attempt = 0; attempt < commandRuns + 2; attempt += 1) {
        const elapsed = await lake(both, ...args);
        if (attempt >= 2) times.push(elapsed);
      }
      commands[key] = median(times);
    }
    const help = commands.help!;
    const frozenMs = median(frozen);
    const pnpmMs = median(pnpm);
    return {
      runs,
      lakeFrozenMs: round(frozenMs),
      pnpmAddMs: round(pnpmMs),
      ratio: round(frozenMs / pnpmMs, 2),
      oneConnectorMB: round(oneKilobytes / 1024),
      twoConnectorsMB: round(bothKilobytes / 1024),
      secondConnectorPercent: round(((bothKilobytes - oneKilobytes) / oneKilobytes) * 100),
      helpMs: round(help),
      listMs: round(commands.list!),
      statusMs: round(commands.status!),
      infoMs: round(commands.info!),
      infoFirstMs: round(infoFirstMs),
      listRatio: round(commands.list! / help, 2),
      statusRatio: round(commands.status! / help, 2),
      infoRatio: round(commands.info! / help, 2),
    };
  } finally {
    await registry.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Wall time of a whole process, in milliseconds; a failure throws with its output. */
async function timed(command: string, args: string[], cwd: string, environment: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  try {
    await run(command, args, { cwd, env: environment, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}${stderr}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** `du -sk`: what the directory takes on disk, each hard-linked file once. */
async function diskKilobytes(path: string): Promise<number> {
  const { stdout } = await run('du', ['-sk', path]);
  return Number(stdout.split(/\s/)[0]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}
