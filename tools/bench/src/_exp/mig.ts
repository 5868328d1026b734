// biome-ignore-all lint: temporary
import { openStore, runMigrations, SDK_MIGRATIONS } from '@lake/sdk';
import { createScratchDatabase } from '@lake/sdk/testing';
import pg from 'pg';
const dialect = process.argv[2] as 'postgres' | 'mysql';
const async = process.argv[3] === 'off';
for (let i = 0; i < 3; i++) {
  const db = await createScratchDatabase(dialect);
  if (async && dialect === 'postgres') {
    const c = new pg.Client({ connectionString: process.env.LAKE_TEST_PG_URL }); await c.connect();
    await c.query(`ALTER DATABASE ${new URL(db.url).pathname.slice(1)} SET synchronous_commit = off`); await c.end();
  }
  const t = performance.now();
  const store = await openStore(db.url);
  await runMigrations(store, 'sdk', SDK_MIGRATIONS);
  console.log(dialect, async ? 'sync_commit=off' : 'default', (performance.now() - t).toFixed(0), 'ms');
  await store.close(); await db.drop();
}
