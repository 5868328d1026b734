import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConnectorTypesOf } from '../contract/context.js';
import { defineConnector } from '../contract/define-connector.js';
import { replaceRows } from '../contract/replaced-rows.js';
import { defineStream, type ExtractResult } from '../contract/stream.js';
import { defineToolTable, type ToolTable } from '../contract/tool-table.js';
import { column, key } from '../domain/columns.js';
import { domainRecord } from '../domain/domain-schema.js';
import { openStore, type Store } from '../store/store.js';
import { createScratchDatabase, type ScratchDatabase, testDialects } from '../testing/scratch-database.js';
import { extractRow } from './default-extractor.js';
import { runSync } from './sync.js';

interface Task {
  id: number;
  title: string;
  tags: string[];
  /** Increases with every change: the stream collects tasks changed after the last one it saw. */
  version: number;
}

/** A task tracker in memory; `echo` makes the source list an older copy of every changed task before the current one. */
interface Tracker {
  tasks: Task[];
  echo?: Map<number, Task>;
}

const Empty = z.object({});
type Types = ConnectorTypesOf<typeof Empty, typeof Empty, typeof Empty, Tracker>;

const tasksTable = defineToolTable<Types>()({
  entity: 'tasks',
  columns: { id: key(column.bigint()), title: column.varchar() },
  produces: ['issues'],
  *convert(row, context) {
    yield domainRecord('issues', { id: context.ids.of('TrackerTask', row.id!), title: row.title ?? '' });
  },
});

const tagsTable = defineToolTable<Types>()({
  entity: 'tags',
  columns: { taskId: key(column.bigint()), name: key(column.varchar()) },
  produces: ['issue_labels'],
  *convert(row, context) {
    yield domainRecord('issue_labels', {
      issue_id: context.ids.of('TrackerTask', row.task_id!),
      label_name: row.name!,
    });
  },
});

function trackerConnector(tracker: Tracker, extract: (task: Task) => ExtractResult, tables: ToolTable[] = []) {
  const tasksStream = defineStream<Types, { version?: number }>({
    name: 'tasks',
    incremental: true,
    tables: [tasksTable, tagsTable, ...tables],
    async *collect(context) {
      const after = context.state?.version ?? 0;
      const changed = tracker.tasks.filter((task) => task.version > after).sort((a, b) => a.version - b.version);
      for (const task of changed) {
        const older = tracker.echo?.get(task.id);
        if (older) yield { data: older };
        yield { data: task };
      }
      const newest = Math.max(after, ...changed.map((task) => task.version));
      await context.checkpoint({ version: newest });
    },
    extract: (data) => extract(data as Task),
  });
  return defineConnector({
    contractVersion: '1.0.0',
    name: 'tracker',
    description: 'Tasks and their tags, in memory',
    domainTypes: ['TICKET'],
    connection: Empty,
    scope: { schema: Empty, id: () => 'all', name: () => 'all tasks', rawParams: (id) => ({ ConnectionId: id }) },
    scopeConfig: Empty,
    client: () => tracker,
    testConnection: async () => ({ ok: true, message: 'ok' }),
    domainScopes: () => [],
    streams: [tasksStream],
    migrations: {
      '0001-tracker-tables': {
        async up(context) {
          await context.createToolTable('tasks', { id: key(column.bigint()), title: column.varchar() });
          await context.createToolTable('tags', { task_id: key(column.bigint()), name: key(column.varchar()) });
        },
      },
    },
  });
}

/** The issue, `replaceRows` for its tags, then the tags: what a connector's extract returns. */
const withReplacedTags = (task: Task): ExtractResult => [
  extractRow(tasksTable, task),
  replaceRows(tagsTable, { taskId: task.id }),
  ...task.tags.map((name) => extractRow(tagsTable, { name }, { taskId: task.id })),
];

const context = { connection: { id: 1 }, scope: {}, options: { batchSize: 3 } };

async function tagsIn(store: Store): Promise<{ tool: string[]; domain: string[] }> {
  const tool = await store.db.selectFrom('_tool_tracker_tags').select(['task_id', 'name']).execute();
  const domain = await store.db.selectFrom('issue_labels').select(['issue_id', 'label_name']).execute();
  return {
    tool: tool.map((row) => `${row.task_id}:${row.name}`).sort(),
    domain: domain.map((row) => `${String(row.issue_id).split(':').at(-1)}:${row.label_name}`).sort(),
  };
}

describe.each(testDialects())('rows a record no longer yields (replaceRows) on %s', (dialect) => {
  const databases: ScratchDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });
  async function lake(): Promise<Store> {
    const database = await createScratchDatabase(dialect);
    databases.push(database);
    return openStore(database.url);
  }

  it('an incremental sync removes the tags taken off a task, tool and domain rows alike, and leaves other tasks alone', async () => {
    const tracker: Tracker = {
      tasks: [
        { id: 1, title: 'one', tags: ['a', 'b'], version: 1 },
        { id: 2, title: 'two', tags: ['x'], version: 2 },
        { id: 3, title: 'three', tags: ['p', 'q'], version: 3 },
        { id: 4, title: 'four', tags: ['z'], version: 4 },
      ],
    };
    const store = await lake();
    const connector = trackerConnector(tracker, withReplacedTags);
    await runSync({ connector, store, context });
    tracker.tasks[0] = { id: 1, title: 'one', tags: ['b', 'c'], version: 5 };
    tracker.tasks[1] = { id: 2, title: 'two', tags: [], version: 6 };
    const result = await runSync({ connector, store, context });
    expect(result.error?.message ?? '').toBe('');
    const expected = ['1:b', '1:c', '3:p', '3:q', '4:z'];
    expect(await tagsIn(store)).toEqual({ tool: expected, domain: expected });
    // Two tool rows and their two domain rows.
    expect(result.streams[0]?.removed).toBe(4);
    await store.close();
  });

  it('when one batch holds two versions of a task, the later one decides its tags', async () => {
    const tracker: Tracker = { tasks: [{ id: 7, title: 'seven', tags: ['old'], version: 1 }] };
    const store = await lake();
    const connector = trackerConnector(tracker, withReplacedTags);
    await runSync({ connector, store, context });
    // The source lists a stale copy with a tag the task had for a moment, then the task as it is.
    tracker.echo = new Map([[7, { id: 7, title: 'seven', tags: ['old', 'fleeting'], version: 2 }]]);
    tracker.tasks[0] = { id: 7, title: 'seven', tags: ['new'], version: 3 };
    await runSync({ connector, store, context });
    expect(await tagsIn(store)).toEqual({ tool: ['7:new'], domain: ['7:new'] });
    await store.close();
  });

  it('without replaceRows an incremental sync keeps the tags taken off (what the declaration is for)', async () => {
    const tracker: Tracker = { tasks: [{ id: 1, title: 'one', tags: ['a', 'b'], version: 1 }] };
    const store = await lake();
    const connector = trackerConnector(tracker, (task) => [
      extractRow(tasksTable, task),
      ...task.tags.map((name) => extractRow(tagsTable, { name }, { taskId: task.id })),
    ]);
    await runSync({ connector, store, context });
    tracker.tasks[0] = { id: 1, title: 'one', tags: ['b'], version: 2 };
    await runSync({ connector, store, context });
    expect(await tagsIn(store)).toEqual({ tool: ['1:a', '1:b'], domain: ['1:a', '1:b'] });
    await store.close();
  });

  it('refuses a declaration naming a table the stream does not write, or an owner column that is not a key', async () => {
    const tracker: Tracker = { tasks: [{ id: 1, title: 'one', tags: [], version: 1 }] };
    const stranger = defineToolTable<Types>()({ entity: 'strangers', columns: { id: key(column.bigint()) } });
    for (const [extract, message] of [
      [(task: Task) => [replaceRows(stranger, { id: task.id })], /strangers.*does not declare/],
      [(task: Task) => [replaceRows(tagsTable, { title: task.title })], /owner column "title" is not a key column/],
      [() => [replaceRows(tagsTable, { taskId: null })], /no value for owner column "task_id"/],
    ] as const) {
      const store = await lake();
      const result = await runSync({ connector: trackerConnector(tracker, extract), store, context });
      expect(result.status).toBe('failed');
      expect(result.error?.code).toBe('EXTRACT_FAILED');
      expect(result.error?.message).toMatch(message);
      await store.close();
    }
  });
});
