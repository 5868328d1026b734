import { execFile } from 'node:child_process';
import type { DialectName } from '@lake/sdk';
import { KILL_POINT_VARIABLES } from '@lake/sdk/testing';
import { sweepBudget } from './conformance/conformance-options.js';
import { seededRandom } from './seeded-random.js';

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
  /**
   * The database the points are tried on. On a server dialect outside `LAKE_SOAK=1`, where each
   * fresh lake costs seconds of DDL, only a sample is tried (`sampleMigrationKillPoints`).
   */
  dialect?: DialectName;
}

/** Points of a server dialect's CI sample besides the telling ones, picked by a seed. */
const RANDOM_SERVER_POINTS = 2;

/**
 * The kill points of a migration run worth trying on `dialect`: all of them on SQLite or when
 * soaking; on PostgreSQL and MySQL in CI, every migration applied but not recorded, every
 * rename, the first table created, and two seeded picks of the rest.
 */
export function sampleMigrationKillPoints(
  points: readonly string[],
  dialect: DialectName,
  environment: NodeJS.ProcessEnv = process.env,
): readonly string[] {
  const budget = sweepBudget('migrations', environment, dialect);
  if (budget.soak || dialect === 'sqlite') return points;
  const labelOf = (point: string) => point.split('\t')[1] ?? '';
  const firstTable = points.find((point) => labelOf(point).startsWith('ddl: create table'));
  const telling = new Set(
    points.filter(
      (point) =>
        point === firstTable ||
        labelOf(point).endsWith('applied, not recorded') ||
        labelOf(point).startsWith('ddl: rename'),
    ),
  );
  const rest = points.filter((point) => !telling.has(point));
  const random = seededRandom(budget.seed);
  for (let picked = 0; picked < RANDOM_SERVER_POINTS && rest.length > 0; picked += 1) {
    telling.add(rest.splice(Math.floor(random() * rest.length), 1)[0]!);
  }
  return points.filter((point) => telling.has(point));
}

/**
 * For each kill point a clean run passes (a sample of them on a server dialect in CI, see
 * `dialect`): a fresh database, the migrations killed there in a child process (it must die by
 * SIGKILL, or the point was never reached), then `afterKill`.
 */
export async function killMigrationsAtEachPoint(options: KillSweepOptions): Promise<void> {
  const { points, withFreshLake, afterKill, dialect, ...child } = options;
  const tried = dialect === undefined ? points : sampleMigrationKillPoints(points, dialect);
  for (const point of tried) {
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
