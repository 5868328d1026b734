import { describe, expect, it } from 'vitest';
import { lakeTestConfig, testTimeScale } from '../../../vitest.shared.ts';

describe('LAKE_TEST_TIME_SCALE', () => {
  it('multiplies every budget of the shared test configuration', () => {
    expect(testTimeScale({})).toBe(1);
    expect(testTimeScale({ LAKE_TEST_TIME_SCALE: ' 2.5 ' })).toBe(2.5);
    const previous = process.env.LAKE_TEST_TIME_SCALE;
    process.env.LAKE_TEST_TIME_SCALE = '3';
    try {
      const { test } = lakeTestConfig({ testTimeout: 100_000, hookTimeout: 20_000 });
      expect([test?.testTimeout, test?.hookTimeout]).toEqual([300_000, 60_000]);
    } finally {
      if (previous === undefined) delete process.env.LAKE_TEST_TIME_SCALE;
      else process.env.LAKE_TEST_TIME_SCALE = previous;
    }
  });

  it('refuses a scale that is not a positive number, naming the variable', () => {
    for (const value of ['fast', '0', '-2'])
      expect(() => testTimeScale({ LAKE_TEST_TIME_SCALE: value })).toThrow(
        `[lake] LAKE_TEST_TIME_SCALE must be a positive number (a factor for every test budget), not "${value}"`,
      );
  });
});
