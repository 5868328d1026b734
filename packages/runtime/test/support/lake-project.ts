import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { CONTRACT_VERSION } from '@lake/sdk/host';
import { stringify } from 'yaml';
import type { CommandName } from '../../src/cli/help.ts';
import { runCommand } from '../../src/cli/run-command.ts';
import { type ProjectPaths, projectPaths } from '../../src/project/project-paths.ts';
import type { RuntimeRelease } from '../../src/project/runtime-release.ts';

/** A runtime release for tests: this SDK's contract, the given shipped pins. */
export function release(version: string, shipped: Record<string, string>): RuntimeRelease {
  return { version, contract: CONTRACT_VERSION, shipped };
}

export interface TestProject {
  paths: ProjectPaths;
  environment: NodeJS.ProcessEnv;
  /** Runs `lake <argv>` in-process against this project. */
  lake(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Runs `lake <argv>` with `input` on stdin. */
  lakeWithInput(input: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  read(file: string): Promise<string>;
  /** Names of the directories under .lake/connectors. */
  installedDirectories(): Promise<string[]>;
}

export interface ProjectOptions {
  registryUrl: string;
  token: string;
  connectors: Record<string, unknown>;
  connections?: unknown[];
  /** Overrides the shared npm cache (a test that must see the registry's bytes uses a fresh one). */
  cacheDirectory?: string;
  extra?: Record<string, unknown>;
}

export const REGISTRY_TOKEN_VARIABLE = 'LAKE_TEST_REGISTRY_TOKEN';

/** A runtime project in a temporary directory, its registry token passed by reference. */
export async function createProject(options: ProjectOptions): Promise<TestProject> {
  const root = await mkdtemp(join(tmpdir(), 'lake-project-'));
  const manifest = {
    registry: { url: options.registryUrl, token: `\${${REGISTRY_TOKEN_VARIABLE}}` },
    connectors: options.connectors,
    connections: options.connections ?? [],
    ...options.extra,
  };
  await writeFile(join(root, 'lake.yaml'), stringify(manifest));
  return projectAt(root, options.token, options.cacheDirectory);
}

/** The same project files (lake.yaml, lake.lock, custom sources) in a new directory: a fresh checkout. */
export async function cloneProject(project: TestProject, cacheDirectory?: string): Promise<TestProject> {
  const root = await mkdtemp(join(tmpdir(), 'lake-checkout-'));
  for (const entry of await readdir(project.paths.root)) {
    if (entry === '.lake') continue;
    await cp(join(project.paths.root, entry), join(root, entry), { recursive: true });
  }
  return projectAt(
    root,
    project.environment[REGISTRY_TOKEN_VARIABLE]!,
    cacheDirectory ?? project.environment.LAKE_CACHE_DIR,
  );
}

function projectAt(root: string, token: string, cacheDirectory: string | undefined): TestProject {
  const paths = projectPaths(root);
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    [REGISTRY_TOKEN_VARIABLE]: token,
    // Third-party metadata from the shared cache when it has it: the tests are about our registry.
    LAKE_PREFER_OFFLINE: '1',
    ...(cacheDirectory ? { LAKE_CACHE_DIR: cacheDirectory } : {}),
  };
  return {
    paths,
    environment,
    lake: (...argv) => runLake(root, environment, process.stdin, argv),
    lakeWithInput: (input, ...argv) => runLake(root, environment, Readable.from([input]), argv),
    read: (file) => readFile(join(root, file), 'utf8'),
    installedDirectories: async () =>
      (await readdir(paths.connectors).catch(() => [] as string[])).filter((name) => name !== 'installed.json').sort(),
  };
}

async function runLake(root: string, environment: NodeJS.ProcessEnv, stdin: NodeJS.ReadableStream, argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await runCommand(argv[0] as CommandName, argv, root, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    environment,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

/** A webhook connection in lake.yaml, its token read from `SHOP_WEBHOOK_TOKEN`, with its one scope. */
export function webhookConnection(name: string, id: number, label: string) {
  return {
    name,
    connector: 'webhook',
    id,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
    settings: { token: '${SHOP_WEBHOOK_TOKEN}', name: label },
    scopes: [{ id: 'webhook', scope: {} }],
  };
}
