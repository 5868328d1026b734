import { execFile } from 'node:child_process';

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
