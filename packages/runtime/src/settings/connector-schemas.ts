import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { RuntimeError } from '../errors.js';
import { writeFileAtomic } from '../project/atomic-write.js';
import type { ProjectPaths } from '../project/project-paths.js';

/** The JSON Schemas (draft 2020-12) of what lake.yaml writes for a connector, from its `info --json`. */
export interface ConnectorSchemas {
  connection: Record<string, unknown>;
  scope: Record<string, unknown>;
  scopeConfig: Record<string, unknown>;
}

/** A connector as installed: its directory under `.lake/connectors/` and its CLI. */
export interface InstalledCli {
  directory: string;
  cli: string;
}

/**
 * An installed connector's `info --json` (name, version, contract, streams, settings schemas).
 * Asked of the connector itself once, in a process like a sync's, and kept under
 * `.lake/cache/info/` by install directory: a directory's name changes with what is installed
 * in it (version and lock digest), so the cache never describes another version. `lake info`
 * and `lake check` then answer without starting the connector and loading its SDK.
 */
export async function connectorInfoText(
  paths: ProjectPaths,
  installed: InstalledCli,
  environment: NodeJS.ProcessEnv,
): Promise<string> {
  const cacheDirectory = join(paths.lakeDirectory, 'cache', 'info');
  const cacheFile = join(cacheDirectory, `${basename(installed.directory)}.json`);
  const cached = await readFile(cacheFile, 'utf8').catch(() => undefined);
  if (cached !== undefined && isJson(cached)) return cached;
  const text = await connectorOutput(paths, installed.cli, ['info', '--json'], environment);
  if (!isJson(text)) throw new RuntimeError('CONNECTOR_INVALID', `${installed.cli} info --json printed no JSON`);
  await mkdir(cacheDirectory, { recursive: true });
  await writeFileAtomic(cacheFile, text);
  return text;
}

/** An installed connector's settings schemas, from its (cached) `info --json`. */
export async function connectorSchemas(
  paths: ProjectPaths,
  installed: InstalledCli,
  environment: NodeJS.ProcessEnv,
): Promise<ConnectorSchemas> {
  const info = JSON.parse(await connectorInfoText(paths, installed, environment)) as {
    schemas?: ConnectorSchemas;
  };
  if (!info.schemas?.connection || !info.schemas.scope || !info.schemas.scopeConfig) {
    throw new RuntimeError('CONNECTOR_INVALID', `${installed.cli} info --json describes no settings schemas`);
  }
  return info.schemas;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Runs a connector CLI command that prints its answer on stdout (`info`, `test-connection`), with stdin as given. */
export async function connectorOutput(
  paths: ProjectPaths,
  cli: string,
  args: string[],
  environment: NodeJS.ProcessEnv,
  input = '',
): Promise<string> {
  // Loaded here: `lake info` answers from its cache without starting a process (or loading node:child_process).
  const { spawnConnector } = await import('../run/spawn-connector.js');
  return new Promise((resolve, reject) => {
    const child = spawnConnector(cli, args, { cwd: paths.root, environment });
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
      else
        reject(
          new RuntimeError(
            'COMMAND_FAILED',
            `${basename(cli)} ${args[0]} exited with ${code}: ${(stderr.trim() || stdout.trim()).split('\n').at(-1)}`,
            { details: { exitCode: code, stdout } },
          ),
        );
    });
    child.stdin.end(input);
  });
}
