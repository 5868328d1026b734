import { createScratchDatabase, type ScratchDatabase, testDialects } from '@lake/sdk/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import { type RunningConsole, startConsoleServer } from '../src/ui/console-server.ts';
import { type ConsoleApi, describeConsoleData } from './support/console-checks.ts';
import { type ConsoleLake, createConsoleLake } from './support/console-lake.ts';
import { startTestRegistry, type TestRegistry } from './support/test-registry.ts';

/** The console's data on a lake in PostgreSQL and in MySQL/MariaDB (console.test.ts covers SQLite and the page). */
describe.each(testDialects().filter((dialect) => dialect !== 'sqlite'))('lake ui on a %s lake', (dialect) => {
  let registry: TestRegistry;
  let database: ScratchDatabase;
  let lake: ConsoleLake;
  let server: RunningConsole;
  const api: ConsoleApi = async <T>(path: string, init?: RequestInit) => {
    const response = await fetch(new URL(path, server.url), init);
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    registry = await startTestRegistry();
    database = await createScratchDatabase(dialect);
    lake = await createConsoleLake(registry, { databaseUrl: database.url });
    server = await startConsoleServer({ paths: lake.project.paths, environment: lake.project.environment, port: 0 });
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    await registry?.stop();
  });

  describeConsoleData(() => ({ api, lake }));
});
