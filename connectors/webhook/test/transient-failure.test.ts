import { describe, expect, it } from 'vitest';
import { isTransientWriteFailure, WRITE_ATTEMPTS, withWriteRetries } from '../src/receiver/transient-failure.js';

const deadlock = Object.assign(new Error('Deadlock found when trying to get lock'), {
  code: 'ER_LOCK_DEADLOCK',
  errno: 1213,
});

describe('write retries', () => {
  it('knows the contention errors of each database, and nothing else', () => {
    expect(isTransientWriteFailure(deadlock)).toBe(true);
    expect(isTransientWriteFailure({ errno: 1205 })).toBe(true);
    expect(isTransientWriteFailure({ code: '40P01' })).toBe(true);
    expect(isTransientWriteFailure({ code: '40001' })).toBe(true);
    expect(isTransientWriteFailure({ code: 'SQLITE_BUSY' })).toBe(true);
    expect(isTransientWriteFailure({ code: '23505' })).toBe(false);
    expect(isTransientWriteFailure(new Error('boom'))).toBe(false);
    expect(isTransientWriteFailure('deadlock')).toBe(false);
    expect(isTransientWriteFailure(null)).toBe(false);
  });

  it('runs a write again after a deadlock, and gives up after its attempts', async () => {
    let calls = 0;
    const value = await withWriteRetries(async () => {
      calls += 1;
      if (calls < 3) throw deadlock;
      return 'written';
    });
    expect([value, calls]).toEqual(['written', 3]);
    calls = 0;
    await expect(
      withWriteRetries(async () => {
        calls += 1;
        throw deadlock;
      }),
    ).rejects.toBe(deadlock);
    expect(calls).toBe(WRITE_ATTEMPTS);
    calls = 0;
    const other = new Error('constraint');
    await expect(
      withWriteRetries(async () => {
        calls += 1;
        throw other;
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
  });
});
