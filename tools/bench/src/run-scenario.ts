/**
 * One measurement, in its own process so that peak RSS is that scenario's alone:
 *   node run-scenario.ts <lake|baseline> <port> <workdir>
 * Prints {"records", "seconds", "peakRssMB"} as one JSON line.
 */
import { join } from 'node:path';
import { openStore, runMigrations, runSync, SDK_MIGRATIONS } from '@lake/sdk';
import { runBaseline } from './baseline.ts';
import { syntheticConnector } from './synthetic-connector.ts';

const [variant, port, workdir] = process.argv.slice(2);
const baseUrl = `http://127.0.0.1:${port}`;
const path = join(workdir!, `${variant}.db`);
const perPage = 1000;

// Both variants start from the same schema, created by the same migrations.
const store = await openStore(`sqlite:${path}`);
await runMigrations(store, 'sdk', SDK_MIGRATIONS);
await runMigrations(store, 'bench', syntheticConnector.migrations);
await store.db.schema
  .createTable('_raw_bench_items')
  .ifNotExists()
  .addColumn('id', 'integer', (definition) => definition.primaryKey().autoIncrement())
  .addColumn('params', 'varchar(255)')
  .addColumn('data', 'text')
  .addColumn('url', 'text')
  .addColumn('input', 'text')
  .addColumn('created_at', 'text')
  .execute();
// With the indexes a sync gives its raw tables, so that both variants maintain them.
for (const column of ['params', 'created_at']) {
  await store.db.schema
    .createIndex(`idx__raw_bench_items_${column}`)
    .ifNotExists()
    .on('_raw_bench_items')
    .column(column)
    .execute();
}

const started = performance.now();
let records: number;
if (variant === 'baseline') {
  await store.close();
  records = await runBaseline(path, baseUrl, perPage);
} else {
  const result = await runSync({
    connector: syntheticConnector,
    store,
    context: {
      connection: { id: 1, baseUrl, token: 'bench-token', perPage },
      scope: { name: 'bench' },
      options: { batchSize: 1000 },
    },
  });
  if (result.status !== 'succeeded') throw new Error(result.error?.message ?? result.status);
  records = result.streams[0]!.records;
  await store.close();
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ records, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
