/**
 * A test's time budget, scaled by `LAKE_TEST_TIME_SCALE` (a positive factor, default 1) as the
 * repository's vitest configuration scales every other budget: a slow or busy machine gets more
 * time by one variable, and no test asserts how fast anything was.
 *
 *   it('syncs ten thousand issues', async () => { … }, testBudget(600_000));
 */
export function testBudget(milliseconds: number, environment: NodeJS.ProcessEnv = process.env): number {
  const value = environment.LAKE_TEST_TIME_SCALE?.trim();
  const scale = value ? Number(value) : 1;
  return Math.round(milliseconds * (Number.isFinite(scale) && scale > 0 ? scale : 1));
}
