import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { openStore } from '@lake/sdk';
import { snapshotLake } from '@lake/sdk/testing';
import { it } from 'vitest';
import { jiraDataset } from '/work/wt/jira/connectors/jira/test/fake-jira/dataset.js';
import { connectionFor, startFakeJira } from '/work/wt/jira/connectors/jira/test/fake-jira/fake-jira.js';

const cli = '/work/wt/jira/connectors/jira/dist/cli.js';
function run(db: string, context: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [cli, 'sync', '--context', context, '--json'], {
    env: { ...process.env, LAKE_DATABASE_URL: db, ...env },
    encoding: 'utf8',
  });
}
async function snap(db: string) {
  const store = await openStore(db);
  try {
    const s = await snapshotLake(store, 'jira');
    return s.tables;
  } finally {
    await store.close();
  }
}

it('repro', { timeout: 600_000 }, async () => {
  const fake = await startFakeJira(jiraDataset({ issues: 60 }));
  const context = '/tmp/jira-repro/context.json';
  writeFileSync(
    context,
    JSON.stringify({
      connection: connectionFor(fake),
      scope: { boardId: 8 },
      scopeConfig: { storyPointField: 'customfield_10016' },
      options: { batchSize: 7 },
    }),
  );
  rmSync('/tmp/jira-repro/ref.db', { force: true });
  rmSync('/tmp/jira-repro/points.log', { force: true });
  run('sqlite:/tmp/jira-repro/ref.db', context, { LAKE_KILL_POINTS_LOG: '/tmp/jira-repro/points.log' });
  const labels = readFileSync('/tmp/jira-repro/points.log', 'utf8').trim().split('\n');
  const reference = await snap('sqlite:/tmp/jira-repro/ref.db');
  let shown = 0;
  for (let point = 1; point <= labels.length && shown < 3; point += 9) {
    rmSync('/tmp/jira-repro/k.db', { force: true });
    run('sqlite:/tmp/jira-repro/k.db', context, { LAKE_KILL_AT: String(point) });
    run('sqlite:/tmp/jira-repro/k.db', context, {});
    const actual = await snap('sqlite:/tmp/jira-repro/k.db');
    for (const table of Object.keys({ ...reference, ...actual })) {
      const left = new Set(reference[table] ?? []);
      const right = new Set(actual[table] ?? []);
      const missing = [...left].filter((row) => !right.has(row));
      const extra = [...right].filter((row) => !left.has(row));
      if (missing.length || extra.length) {
        shown += 1;
        console.log(
          `point ${point} (${labels[point - 1]}) ${table}: missing ${missing.length} extra ${extra.length}\n  - ${missing.slice(0, 2).join('\n  - ').slice(0, 800)}\n  + ${extra.slice(0, 2).join('\n  + ').slice(0, 800)}`,
        );
      }
    }
  }
  await fake.api.close();
});
