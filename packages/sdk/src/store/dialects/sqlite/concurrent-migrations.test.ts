import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRawTable } from '../../../migrations/table-ddl.js';
import { openStore } from '../../store.js';

const run = promisify(execFile);
const sdk = new URL('../../../../dist/index.js', import.meta.url).href;

// Each process opens the file and applies the SDK's migrations and a connector's own, as a
// connector CLI does at the start of a sync.
const migrate = `
const { openStore, runMigrations, SDK_MIGRATIONS, column, key } = await import(${JSON.stringify(sdk)});
const store = await openStore('sqlite:' + process.argv[1]);
await runMigrations(store, 'sdk', SDK_MIGRATIONS);
await runMigrations(store, 'fixture', {
  '0001-items': { up: (context) => context.createToolTable('items', { id: key(column.bigint()) }) },
  '0002-index': { up: (context) => context.createIndex('_tool_fixture_items', ['id']) },
});
await store.close();
`;

describe('SQLite migrations from several processes at once', () => {
  it('applies every migration exactly once while six processes race on a new file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lake-migrate-race-'));
    try {
      for (let round = 0; round < 3; round += 1) {
        const file = join(directory, `race-${round}.db`);
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, () => run(process.execPath, ['--input-type=module', '-e', migrate, file])),
        );
        const failures = results.filter((result) => result.status === 'rejected');
        expect(failures.map((failure) => String((failure as PromiseRejectedResult).reason))).toEqual([]);
        const store = await openStore(`sqlite:${file}`);
        try {
          const applied = await store.db
            .selectFrom('_lake_migrations_fixture')
            .select('name')
            .orderBy('name')
            .execute();
          expect(applied.map((row) => row.name)).toEqual(['0001-items', '0002-index']);
          expect(await store.tableExists('_lake_runs')).toBe(true);
        } finally {
          await store.close();
        }
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('raw tables from several connections at once', () => {
  it('creates a raw table once while two connections ask for it together', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'lake-raw-race-'));
    const file = join(directory, 'raw.db');
    const first = await openStore(`sqlite:${file}`);
    const second = await openStore(`sqlite:${file}`);
    try {
      // Both check before either creates: the interleaving two connector processes can have.
      await Promise.all([
        createRawTable(first.db, first.dialect, '_raw_race_items'),
        createRawTable(second.db, second.dialect, '_raw_race_items'),
      ]);
      expect(await first.tableExists('_raw_race_items')).toBe(true);
    } finally {
      await first.close();
      await second.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
