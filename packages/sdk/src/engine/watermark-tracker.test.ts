import { describe, expect, it } from 'vitest';
import { type PassState, WatermarkTracker } from './watermark-tracker.js';

const pass = (overrides: Partial<PassState> = {}): PassState => ({
  startedAt: '2026-01-01T00:00:00.000Z',
  full: false,
  watermark: null,
  doneAbove: [],
  inFlight: {},
  ...overrides,
});

function tracked(count: number, state = pass()): WatermarkTracker {
  const tracker = new WatermarkTracker(state);
  for (let sequence = 0; sequence < count; sequence += 1) tracker.track(sequence, [`p${sequence}`]);
  return tracker;
}

const done = (sequence: number) => ({ parent: { sequence, key: [`p${sequence}`] } });

describe('WatermarkTracker', () => {
  it('moves the watermark only over parents committed without a gap; those above it are listed', () => {
    const tracker = tracked(4);
    const first = tracker.next([done(1), done(3)]);
    expect(first.pass).toMatchObject({ watermark: null, doneAbove: [['p1'], ['p3']] });
    first.apply();
    expect(tracker.lowestOpen).toBe(0);

    const second = tracker.next([done(0)]);
    expect(second.pass).toMatchObject({ watermark: ['p1'], doneAbove: [['p3']] });
    second.apply();
    expect(tracker.lowestOpen).toBe(2);
  });

  it('a state computed for a commit changes nothing until it is applied', () => {
    const tracker = tracked(2);
    const unapplied = tracker.next([done(0)]);
    expect(unapplied.pass.watermark).toEqual(['p0']);
    expect(tracker.lowestOpen).toBe(0);
    expect(tracker.next([]).pass.watermark).toBeNull();
  });

  it('counts a partly committed parent until it is finished, and resumes its count', () => {
    const resumed = tracked(1, pass({ inFlight: { '["p0"]': 3 } }));
    expect(resumed.committedOf(['p0'])).toBe(3);
    const partial = resumed.next([{ ...done(0), partialCount: 8 }]);
    expect(partial.pass.inFlight).toEqual({ '["p0"]': 8 });
    expect(partial.pass.watermark).toBeNull();
    partial.apply();
    expect(resumed.committedOf(['p0'])).toBe(8);
    const finished = resumed.next([done(0)]);
    expect(finished.pass).toMatchObject({ watermark: ['p0'], inFlight: {} });
  });

  it('keeps what the interrupted pass had done above its watermark', () => {
    const tracker = tracked(1, pass({ watermark: ['o9'], doneAbove: [['q1']] }));
    expect(tracker.next([]).pass).toMatchObject({ watermark: ['o9'], doneAbove: [['q1']] });
  });

  it('wakes whoever waits for progress when a commit is applied', async () => {
    const tracker = tracked(1);
    let woken = false;
    const waiting = tracker.progressed().then(() => {
      woken = true;
    });
    await Promise.resolve();
    expect(woken).toBe(false);
    tracker.next([done(0)]).apply();
    await waiting;
    expect(woken).toBe(true);
  });
});
