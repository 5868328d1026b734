/**
 * What `lake sync` pays before it starts a connector: the check of the connector's installed
 * files against the digest lake.lock records. Measured on a real install of the git connector
 * (its whole closure, ~3,000 files, ~50 MB): a private registry is started, the workspace's SDK
 * and git connector are published to it, and `lake install` lays the connector out as an
 * operator's would be.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInstalledFiles, installProject, projectPaths, readInstallSet, readLockfile } from '@lake/runtime';
import { addUser, packAndPublish, startRegistry } from '@lake-tools/registry-server';

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface FilesCheckMeasurement {
  connector: string;
  files: number;
  megabytes: number;
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
}

export async function measureFilesCheck(runs = 20): Promise<FilesCheckMeasurement> {
  const directory = await mkdtemp(join(tmpdir(), 'lake-bench-files-'));
  const registry = await startRegistry({ directory: join(directory, 'registry'), port: 0 });
  try {
    const { token } = await addUser(registry.url, 'bench', randomBytes(12).toString('hex'));
    for (const pkg of ['packages/sdk', 'connectors/git'])
      await packAndPublish(registry.url, token, join(workspace, pkg));
    const root = join(directory, 'project');
    const paths = projectPaths(root);
    await mkdir(root, { recursive: true });
    await writeFile(
      paths.manifest,
      `registry:\n  url: ${registry.url}\n  token: \${LAKE_BENCH_TOKEN}\nconnectors:\n  git: shipped\n`,
    );
    await installProject(paths, { environment: { ...process.env, LAKE_BENCH_TOKEN: token } });
    const installed = (await readInstallSet(paths)).connectors.git!;
    const digest = (await readLockfile(paths))!.connectors.git!.filesDigest;
    const connectorDirectory = join(paths.connectors, installed.directory);
    const times: number[] = [];
    let files = 0;
    for (let attempt = 0; attempt < runs + 2; attempt += 1) {
      const started = process.hrtime.bigint();
      const check = await checkInstalledFiles(connectorDirectory, digest);
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (!check.ok) throw new Error(`the installed git connector does not pass its own check: ${check.problem}`);
      files = check.files;
      // The first runs warm the file cache, as the previous sync would have.
      if (attempt >= 2) times.push(elapsed);
    }
    times.sort((a, b) => a - b);
    return {
      connector: `git ${installed.version}`,
      files,
      megabytes: round((await sizeOf(connectorDirectory)) / 1e6),
      runs,
      medianMs: round(times[Math.floor(times.length / 2)]!),
      p95Ms: round(times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!),
      minMs: round(times[0]!),
    };
  } finally {
    await registry.close();
    await rm(directory, { recursive: true, force: true });
  }
}

async function sizeOf(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) total += await sizeOf(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

function round(value: number): number {
  return Number(value.toFixed(1));
}
