import { describe, expect, it } from 'vitest';
import { planBuilds, rangesOf } from '../src/streams/build-plan.js';
import type { StoredBuild } from '../src/streams/scope-builds.js';

const listed = (...numbers: number[]) =>
  numbers.map((number) => ({ number, timestamp: number * 1000, building: number === numbers[0] }));
const stored = (entries: [number, StoredBuild][]) => new Map(entries);

describe('planning a job’s reading', () => {
  it('reads new builds, finished ones, and builds whose number names another run; deletes the unlisted', () => {
    const plan = planBuilds({
      listed: listed(9, 8, 7, 5, 4),
      stored: stored([
        [8, { startedMs: 8000, building: true }],
        [7, { startedMs: 7000, building: false }],
        [6, { startedMs: 6000, building: false }],
        [5, { startedMs: 1, building: false }],
        [4, { startedMs: 4000, building: false }],
      ]),
      mark: { number: 8, timestamp: 8000 },
      full: false,
      since: 0,
    });
    // 9 is new, 8 finished, 5 is another run under its number; 6 is gone.
    expect(plan).toEqual({ positions: [0, 1, 3], deleted: [6] });
  });

  it('starts over when the job was created again, reads all on a full sync, and skips builds before timeAfter', () => {
    const again = planBuilds({
      listed: listed(3, 2, 1),
      stored: stored([[9, { startedMs: 9, building: false }]]),
      mark: { number: 9, timestamp: 0 },
      full: false,
      since: 0,
    });
    expect(again).toEqual({ positions: [0, 1, 2], deleted: [9] });
    const full = planBuilds({ listed: listed(3, 2, 1), stored: stored([]), mark: undefined, full: true, since: 2000 });
    expect(full).toEqual({ positions: [0, 1], deleted: [] });
  });

  it('groups positions into ranges of at most a page', () => {
    expect(rangesOf([0, 1, 2, 5, 6, 9], 2)).toEqual([
      { from: 0, to: 2 },
      { from: 2, to: 3 },
      { from: 5, to: 7 },
      { from: 9, to: 10 },
    ]);
  });
});
