import { join } from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '@lake/sdk/testing';
import type { FixturePackage } from './fixture-packages.ts';
import { createProject, type ProjectOptions, type TestProject } from './lake-project.ts';
import type { WorkerProcess } from './queue-workers.ts';
import { startTestRegistry, type TestRegistry } from './test-registry.ts';

const workspace = new URL('../../../../', import.meta.url).pathname;

/** The queue suites run on PostgreSQL; in CI a missing server fails them instead of skipping them. */
export function requirePostgresInCi(): void {
  if (!process.env.LAKE_TEST_PG_URL && process.env.CI === 'true')
    throw new Error('[lake] LAKE_TEST_PG_URL is not set; CI runs the queue suite on PostgreSQL (see DEVELOPERS.md)');
}

/**
 * What each queue suite starts with: a test registry holding the workspace SDK and the suite's
 * fixture connectors, and a scratch PostgreSQL database for the lake and its queue. `close()`
 * kills the workers the suite pushed to `workers`, then removes the database and the registry.
 */
export interface QueueTestBed {
  registry: TestRegistry;
  database: ScratchDatabase;
  workers: WorkerProcess[];
  close(): Promise<void>;
}

export async function openQueueTestBed(
  connectors: (sdk: string) => FixturePackage[],
  workers: WorkerProcess[] = [],
): Promise<QueueTestBed> {
  const registry = await startTestRegistry();
  const { version: sdk } = await registry.publishWorkspacePackage(join(workspace, 'packages/sdk'));
  for (const connector of connectors(sdk)) await registry.publish(connector);
  const database = await createScratchDatabase('postgres');
  return {
    registry,
    database,
    workers,
    async close() {
      for (const worker of workers) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.done));
      await database.drop();
      await registry.stop();
    },
  };
}

/**
 * A project of the bed: its registry, its database as the lake and the queue (`database:`
 * `${LAKE_QUEUE_DATABASE}`, `queue: database`, unless `extra` says otherwise), the given
 * variables set, `lake install` run. Throws with install's output when it fails.
 */
export async function installQueueProject(
  bed: QueueTestBed,
  options: Pick<ProjectOptions, 'connectors' | 'connections' | 'extra'>,
  environment: Record<string, string> = {},
): Promise<TestProject> {
  const project = await createProject({
    registryUrl: bed.registry.url,
    token: bed.registry.token,
    ...options,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: lake.yaml references are written ${NAME}
    extra: { database: '${LAKE_QUEUE_DATABASE}', queue: 'database', ...options.extra },
  });
  Object.assign(project.environment, { LAKE_QUEUE_DATABASE: bed.database.url, ...environment });
  const installed = await project.lake('install');
  if (installed.code !== 0)
    throw new Error(`lake install exited ${installed.code}: ${installed.stdout}${installed.stderr}`);
  return project;
}
