import { execFile } from 'node:child_process';
import { KILL_POINT_VARIABLES } from '@lake/sdk/testing';

export interface MigrateInChildOptions {
  /** The connector package's directory: its built `dist/index.js` is imported from there. */
  packageDirectory: string;
  /** The export of `dist/index.js` that is the connector (`gitConnector`). */
  connectorExport: string;
  /** The database to migrate. */
  url: string;
  /** More environment variables for the child: kill points (`KILL_POINT_VARIABLES` of `@lake/sdk/testing`). */
  variables?: Record<string, string>;
}

export interface ChildOutcome {
  code: number | null;
  signal: string | null;
  stderr: string;
}

/**
 * Runs the built connector's migrations in a process of their own, which kill points can stop
 * (`LAKE_KILL_AT`) or list (`LAKE_KILL_POINTS_LOG`): for tests that prove a migration killed
 * anywhere finishes when it runs again. Resolves with how the child ended; never rejects.
 */
export function migrateInChild(options: MigrateInChildOptions): Promise<ChildOutcome> {
  const script = `
import { openStore, runMigrations } from '@lake/sdk';
import { ${options.connectorExport} as connector } from './dist/index.js';
const store = await openStore(process.env.LAKE_MIGRATION_TEST_URL);
await runMigrations(store, connector.name, connector.migrations);
await store.close();
`;
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      {
        cwd: options.packageDirectory,
        env: { ...process.env, LAKE_MIGRATION_TEST_URL: options.url, ...options.variables },
      },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, signal: child.signalCode, stderr }),
    );
  });
}

export interface KillSweepOptions extends Omit<MigrateInChildOptions, 'url' | 'variables'> {
  /** The kill points to stop at, as a clean run logged them (`<n>\t<label>` lines). */
  points: readonly string[];
  /** Runs `body` on a fresh database in the state the migrations start from, and drops it after. */
  withFreshLake: (body: (url: string) => Promise<void>) => Promise<void>;
  /** After the kill at `label`: run the migrations again and check the outcome. */
  afterKill: (url: string, label: string) => Promise<void>;
}

/**
 * For each kill point a clean run passes: a fresh database, the migrations killed there in a
 * child process (it must die by SIGKILL, or the point was never reached), then `afterKill`.
 */
export async function killMigrationsAtEachPoint(options: KillSweepOptions): Promise<void> {
  const { points, withFreshLake, afterKill, ...child } = options;
  for (const point of points) {
    const [index, label = ''] = point.split('\t');
    await withFreshLake(async (url) => {
      const killed = await migrateInChild({ ...child, url, variables: { [KILL_POINT_VARIABLES.killAt]: index ?? '' } });
      if (killed.signal !== 'SIGKILL') {
        throw new Error(`migrations were to be killed at ${label}, and ended with ${killed.code}: ${killed.stderr}`);
      }
      await afterKill(url, label);
    });
  }
}
