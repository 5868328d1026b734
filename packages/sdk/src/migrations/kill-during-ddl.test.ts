import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KILL_POINT_VARIABLES } from '../faults/kill-points.js';
import type { DialectName } from '../store/database-url.js';
import { openStore } from '../store/store.js';
import { describeSchema, type SchemaDescription } from '../testing/describe-schema.js';
import { createScratchDatabase, testDialects } from '../testing/scratch-database.js';

const run = promisify(execFile);
const sdk = new URL('../../dist/index.js', import.meta.url).href;

/**
 * What a connector process does to a database before its first record: the SDK's migrations,
 * a connector's own (a table with indexed columns, a column added later with its index, an
 * extra index), and the raw table of its stream — all through `runSync`, as the CLI runs it.
 */
const child = `
const { openStore, runSync, defineConnector, defineStream, defineToolTable, column, key, indexed, z } = await import(${JSON.stringify(sdk)});
const gadgets = defineToolTable()({ entity: 'gadgets', columns: { id: key(column.bigint()), serial: column.varchar(40) } });
const connector = defineConnector({
  contractVersion: '1.0.0',
  name: 'ddlkill',
  description: 'migrations and a raw table, nothing else',
  domainTypes: [],
  connection: z.object({}),
  scope: { schema: z.object({ name: z.string() }), id: (scope) => scope.name, name: (scope) => scope.name },
  scopeConfig: z.object({}),
  testConnection: async () => ({ ok: true, message: 'ok' }),
  domainScopes: () => [],
  streams: [defineStream({ name: 'gadgets', tables: [gadgets], async *collect() {} })],
  migrations: {
    '0001-gadgets': {
      up: (context) => context.createToolTable('gadgets', { id: key(column.bigint()), serial: indexed(column.varchar(40)) }),
    },
    '0002-owner': {
      async up(context) {
        await context.addColumn(context.toolTableName('gadgets'), 'owner', indexed(column.varchar(100)));
        await context.createIndex(context.toolTableName('gadgets'), ['serial', 'owner']);
      },
    },
  },
});
const store = await openStore(process.argv[1]);
const result = await runSync({ connector, store, context: { connection: { id: 1 }, scope: { name: 'one' } } });
await store.close();
if (result.status !== 'succeeded') throw new Error('sync ' + result.status + ': ' + result.error?.message);
`;

interface KillPoint {
  position: number;
  label: string;
}

/** Runs the child on `url`; resolves with whether it was killed. */
async function runChild(url: string, environment: Record<string, string>): Promise<'killed' | 'finished'> {
  try {
    await run(process.execPath, ['--input-type=module', '-e', child, url], {
      env: { ...process.env, ...environment },
    });
    return 'finished';
  } catch (error) {
    if ((error as { signal?: string }).signal === 'SIGKILL') return 'killed';
    throw error;
  }
}

/** A small seeded generator (mulberry32), so that a failing sample can be replayed with LAKE_KILL_SEED. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** The kind of a kill point: its label without table, column and migration names. */
function kindOf(label: string): string {
  if (label.startsWith('migration ')) return label.replace(/^migration \S+: /, 'migration: ');
  return /^ddl: (create raw table|create table|create index|add column)/.exec(label)?.[0] ?? label;
}

/**
 * Every DDL and migration kill point when LAKE_SOAK=1; otherwise a sample that holds at least
 * one point of each kind (create table, create index, add column, create raw table, migration
 * starting, migration applied but not recorded) and an index right after its table, drawn
 * with `seed`. (On MariaDB a clean run takes seconds: all ~120 points take a quarter of an hour.)
 */
function pickKillPoints(points: KillPoint[], seed: number): KillPoint[] {
  if (SOAK) return points;
  const random = seededRandom(seed);
  const pick = (from: KillPoint[]) => from[Math.floor(random() * from.length)]!;
  const chosen = new Set<KillPoint>();
  const kinds = new Map<string, KillPoint[]>();
  for (const point of points) kinds.set(kindOf(point.label), [...(kinds.get(kindOf(point.label)) ?? []), point]);
  for (const group of kinds.values()) chosen.add(pick(group));
  // A CREATE INDEX right after its table's CREATE TABLE: the state the defect left behind for
  // good. Raw tables are created outside any transaction, so on every dialect.
  const afterTable = (raw: boolean) =>
    points.filter(
      (point, index) =>
        point.label.includes('create index') &&
        points[index - 1]?.label.includes(raw ? 'create raw table' : 'create table'),
    );
  for (const group of [afterTable(false), afterTable(true)]) if (group.length > 0) chosen.add(pick(group));
  return [...chosen].sort((left, right) => left.position - right.position);
}

async function schemaOf(url: string): Promise<SchemaDescription> {
  const store = await openStore(url);
  try {
    return await describeSchema(store);
  } finally {
    await store.close();
  }
}

/** Every kill point, not a sample (about a quarter of an hour on MariaDB). */
const SOAK = process.env.LAKE_SOAK === '1';
const seed = Number(process.env.LAKE_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe.each(testDialects())('a process killed during DDL on %s', (dialect: DialectName) => {
  let directory: string;
  let points: KillPoint[] = [];
  let clean: SchemaDescription;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lake-ddl-kill-'));
    const database = await createScratchDatabase(dialect);
    try {
      const log = join(directory, 'points.log');
      expect(await runChild(database.url, { [KILL_POINT_VARIABLES.log]: log })).toBe('finished');
      points = (await readFile(log, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split('\t'))
        .map(([position, label]) => ({ position: Number(position), label: label! }))
        .filter((point) => point.label.startsWith('ddl:') || point.label.startsWith('migration '));
      clean = await schemaOf(database.url);
    } finally {
      await database.drop();
    }
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it(
    `a second run completes the schema, whichever DDL statement the first died at (seed ${seed}; LAKE_SOAK=1 for all)`,
    async () => {
      expect(points.map((point) => kindOf(point.label))).toEqual(
        expect.arrayContaining(['ddl: create table', 'ddl: create index', 'ddl: add column', 'ddl: create raw table']),
      );
      expect(clean.tables.find((table) => table.name === '_tool_ddlkill_gadgets')?.indexes).toHaveLength(4);
      for (const point of pickKillPoints(points, seed)) {
        const database = await createScratchDatabase(dialect);
        try {
          expect(await runChild(database.url, { [KILL_POINT_VARIABLES.killAt]: String(point.position) })).toBe(
            'killed',
          );
          expect(await runChild(database.url, {})).toBe('finished');
          expect(await schemaOf(database.url), `killed at #${point.position} (${point.label})`).toEqual(clean);
        } finally {
          await database.drop();
        }
      }
    },
    SOAK ? 3_600_000 : 600_000,
  );
});
