import { fileURLToPath } from 'node:url';
import { syncAgainstServedFake } from '@lake/testkit';
import { expect, it } from 'vitest';
import { servedItems } from './serve-fake.js';

// `lake-fake-api serve` runs the fake without vitest; the built CLI syncs every item it serves.
it('serves the fake outside vitest for the standalone CLI', async () => {
  const served = await syncAgainstServedFake({
    serveModule: fileURLToPath(new URL('./serve-fake.ts', import.meta.url)),
    connectorCli: fileURLToPath(new URL('../dist/cli.js', import.meta.url)),
    tables: ['issues'],
  });
  expect(served.code).toBe(0);
  expect(served.result).toMatchObject({ status: 'succeeded' });
  expect(served.context.connection.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:/);
  expect(served.rows.issues).toBe(servedItems('small'));
});
