import { describe, expect, it } from 'vitest';
import { planKillPoints } from '../src/conformance/kill-plan.ts';
import { sampleMigrationKillPoints } from '../src/migrate-in-child.ts';

// A clean run's kill points as the SDK labels them: migrations, DDL, then commits.
const LABELS = [
  'ddl: create table _lake_migrations_sdk',
  'ddl: create raw table _raw_notes_notes',
  'ddl: create table _tool_notes_notes',
  'ddl: create index _tool_notes_notes_updated',
  'migration notes/0001-init: applied, not recorded',
  'migration notes/0001-init: recorded',
  'transaction: written, not committed',
  'transaction: committed',
  'transaction: written, not committed',
  'transaction: committed',
  'transaction: written, not committed',
  'transaction: committed',
];

describe('planKillPoints', () => {
  it('tries every point when the budget covers them, or when soaking', () => {
    expect(planKillPoints(LABELS, 'all', 1)).toEqual(LABELS.map((_, index) => index + 1));
    expect(planKillPoints(LABELS, 20, 1)).toEqual(LABELS.map((_, index) => index + 1));
  });

  it('with three points, takes the migration applied but not recorded, the index after its table and the first commit', () => {
    expect(planKillPoints(LABELS, 3, 7)).toEqual([4, 5, 8]);
  });

  it('with five, adds the raw table and one seeded pick of the rest, the same for the same seed', () => {
    const plan = planKillPoints(LABELS, 5, 11);
    expect(plan).toHaveLength(5);
    expect(plan).toEqual(expect.arrayContaining([2, 4, 5, 8]));
    expect(planKillPoints(LABELS, 5, 11)).toEqual(plan);
    const picks = new Set(
      [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
        planKillPoints(LABELS, 5, seed).find((point) => ![2, 4, 5, 8].includes(point)),
      ),
    );
    expect(picks.size, 'the fifth point moves with the seed').toBeGreaterThan(1);
  });
});

describe('sampleMigrationKillPoints', () => {
  const points = [
    '1\tddl: create table _tool_x_refs_0002',
    '2\tddl: create index on _tool_x_refs_0002 (name)',
    '3\tddl: rename column _tool_x_refs.sha to commit_sha',
    '4\tmigration x/0002: applied, not recorded',
    '5\tddl: create table _tool_x_refs',
    '6\tddl: add column _tool_x_repos.url',
    '7\tddl: create index on _tool_x_refs (sha)',
    '8\tmigration x/0003: applied, not recorded',
  ];

  it('keeps every point on SQLite and when soaking', () => {
    expect(sampleMigrationKillPoints(points, 'sqlite', {})).toEqual(points);
    expect(sampleMigrationKillPoints(points, 'mysql', { LAKE_SOAK: '1' })).toEqual(points);
  });

  it('on a server in CI, keeps the telling points and two seeded picks, in order', () => {
    const sample = sampleMigrationKillPoints(points, 'postgres', { LAKE_KILL_SEED: '5' });
    expect(sample).toHaveLength(6);
    expect(sample).toEqual(expect.arrayContaining([points[0], points[2], points[3], points[7]]));
    expect(sample).toEqual(points.filter((point) => sample.includes(point)));
    expect(sampleMigrationKillPoints(points, 'postgres', { LAKE_KILL_SEED: '5' })).toEqual(sample);
  });
});
