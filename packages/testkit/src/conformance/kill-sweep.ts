import { join } from 'node:path';
import type { DialectName } from '@lake/sdk';
import { expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import { testBudget } from '../test-budget.js';
import type { ContextInput } from '../test-lake.js';
import { sweepBudget } from './conformance-options.js';
import type { ConformanceResources } from './conformance-resources.js';
import { type CliRun, describeRun, readKillPoints, runConnectorCli } from './connector-cli.js';
import { planKillPoints } from './kill-plan.js';
import { differences, fingerprintLake, type LakeFingerprint } from './lake-fingerprint.js';
import { describeSchema } from './schema-description.js';

/** What an uninterrupted run of the CLI wrote, to compare every interrupted one with. */
interface Reference {
  fingerprint: LakeFingerprint;
  schema: string[];
  /** The kill points the clean run passed, in order. */
  labels: string[];
  elapsedMs: number;
}

/**
 * The kill sweep: the connector's real CLI, SIGKILLed at its kill points (before every DDL
 * statement, before and after every commit, around every migration) and at random moments of
 * a larger sync, then resumed. Every resumed lake must equal an uninterrupted one — schema
 * (tables, columns, indexes), and per table the row count and an order-independent checksum
 * of every column but write times and raw ids. A checkpoint saved before its records are
 * written, a migration that is not safe to re-run after half of it ran, state that moves past
 * what was stored: each shows up as a difference.
 */
export function describeKillSweep(resources: ConformanceResources, dialect: DialectName): void {
  const { options } = resources;
  const budget = sweepBudget(options.connector.name, process.env, dialect);
  const seed = budget.seed + ['sqlite', 'postgres', 'mysql'].indexOf(dialect);
  const batchSize = options.interruptionBatchSize ?? 7;
  const points = budget.killPoints === 'all' ? 400 : budget.killPoints;

  it(
    `killed with SIGKILL at kill points (${budget.killPoints === 'all' ? 'all' : `${points}, seed ${seed}`}), resumes to what an uninterrupted sync writes`,
    async () => {
      const fixture = await resources.fixture({ size: 'small' });
      const context = withBatchSize(fixture.context, batchSize);
      const directory = await resources.directory();
      const reference = await referenceRun(resources, dialect, context, directory);
      const plan = planKillPoints(reference.labels, budget.killPoints, seed);
      const failures: string[] = [];
      for (const point of plan) {
        const label = reference.labels[point - 1]!;
        const problem = await killAndResume(resources, dialect, context, directory, reference, { killAt: point });
        if (problem) failures.push(`killed at point ${point} of ${reference.labels.length} (${label}): ${problem}`);
      }
      console.info(
        `[conformance] ${resources.options.connector.name} on ${dialect}: killed at ${plan.length} of ${reference.labels.length} kill points (seed ${seed}), ${failures.length} resumed differently`,
      );
      expect(
        failures,
        `kill sweep on ${dialect} (${plan.length} of ${reference.labels.length} points; LAKE_SOAK=1 tries all, LAKE_KILL_SEED=${seed} repeats this sample)`,
      ).toEqual([]);
    },
    testBudget((points * 2 + 2) * 60_000),
  );

  it(
    `killed with SIGKILL at random moments of a large sync (${budget.timedKills}) and during its resumption (${budget.doubleKills}), resumes to what an uninterrupted sync writes`,
    async () => {
      const fixture = await resources.fixture({ size: 'large' });
      const context = withBatchSize(fixture.context, batchSize * 4);
      const directory = await resources.directory();
      const reference = await referenceRun(resources, dialect, context, directory);
      const random = seededRandom(seed ^ 0x5eed);
      const failures: string[] = [];
      for (let attempt = 0; attempt < budget.timedKills + budget.doubleKills; attempt += 1) {
        // Between 15% and 85% of a clean run's time: past start-up, before the end.
        const killAfterMs = Math.round(reference.elapsedMs * (0.15 + 0.7 * random()));
        const twice = attempt >= budget.timedKills;
        const secondKillAt = twice ? 1 + Math.floor(random() * reference.labels.length) : undefined;
        const problem = await killAndResume(resources, dialect, context, directory, reference, {
          killAfterMs,
          ...(secondKillAt === undefined ? {} : { secondKillAt }),
        });
        if (problem)
          failures.push(
            `killed after ${killAfterMs} ms${twice ? `, then again at kill point ${secondKillAt} of the resumed run` : ''}: ${problem}`,
          );
      }
      expect(failures, `timed kills on ${dialect} (seed ${seed})`).toEqual([]);
    },
    testBudget((budget.timedKills * 2 + budget.doubleKills * 3 + 2) * 60_000),
  );
}

export function withBatchSize(context: ContextInput, batchSize: number): ContextInput {
  return { ...context, options: { ...context.options, batchSize } };
}

async function referenceRun(
  resources: ConformanceResources,
  dialect: DialectName,
  context: ContextInput,
  directory: string,
): Promise<Reference> {
  const database = await resources.database(dialect);
  const log = join(directory, `reference-${dialect}-${Date.now()}.log`);
  const started = Date.now();
  const run = await runConnectorCli(resources.command, {
    directory,
    context,
    databaseUrl: database.url,
    killPointsLog: log,
  });
  const elapsedMs = Date.now() - started;
  expect(run.code, `the uninterrupted sync failed: ${describeRun(run)}`).toBe(0);
  const labels = await readKillPoints(log);
  expect(labels.length, 'the CLI passed no kill point: is it built from this SDK?').toBeGreaterThan(0);
  const { fingerprint, schema } = await readLake(resources, database.url);
  await database.drop();
  return { fingerprint, schema, labels, elapsedMs };
}

interface KillPlan {
  killAt?: number;
  killAfterMs?: number;
  /** Kill the first resumption too, at this kill point, before resuming again. */
  secondKillAt?: number;
}

/** Kills a run as planned, resumes it, and says how the result differs from the reference (undefined: equal). */
async function killAndResume(
  resources: ConformanceResources,
  dialect: DialectName,
  context: ContextInput,
  directory: string,
  reference: Reference,
  plan: KillPlan,
): Promise<string | undefined> {
  const database = await resources.database(dialect);
  const run = (killAt?: number, killAfterMs?: number): Promise<CliRun> =>
    runConnectorCli(resources.command, {
      directory,
      context,
      databaseUrl: database.url,
      ...(killAt === undefined ? {} : { killAt }),
      ...(killAfterMs === undefined ? {} : { killAfterMs }),
    });
  try {
    const killed = await run(plan.killAt, plan.killAfterMs);
    if (killed.hung) return `the run hung: ${describeRun(killed)}`;
    // A kill point not reached (batches are also cut by time, so a run's points can differ a
    // little from the reference's) or a timer that fired after the end: the run must then
    // simply have succeeded, and the lake must still equal the reference.
    if (killed.signal !== 'SIGKILL' && killed.code !== 0) return `the run failed: ${describeRun(killed)}`;
    if (plan.secondKillAt !== undefined) {
      const again = await run(plan.secondKillAt);
      if (again.hung || (again.signal !== 'SIGKILL' && again.code !== 0))
        return `the first resumption failed: ${describeRun(again)}`;
    }
    const resumed = await run();
    if (resumed.code !== 0) return `the resumed sync failed: ${describeRun(resumed)}`;
    const { fingerprint, schema } = await readLake(resources, database.url);
    const problems = [
      ...schemaDifferences(reference.schema, schema),
      ...differences(reference.fingerprint, fingerprint),
    ];
    return problems.length === 0 ? undefined : `\n    ${problems.join('\n    ')}`;
  } finally {
    await database.drop();
  }
}

async function readLake(
  resources: ConformanceResources,
  url: string,
): Promise<{ fingerprint: LakeFingerprint; schema: string[] }> {
  const store = await resources.open(url);
  try {
    return {
      fingerprint: await fingerprintLake(store, resources.options.connector.name),
      schema: await describeSchema(store),
    };
  } finally {
    await store.close();
  }
}

function schemaDifferences(expected: readonly string[], actual: readonly string[]): string[] {
  const have = new Set(actual);
  const want = new Set(expected);
  return [
    ...expected.filter((line) => !have.has(line)).map((line) => `schema: missing ${line}`),
    ...actual.filter((line) => !want.has(line)).map((line) => `schema: unexpected ${line}`),
  ];
}
