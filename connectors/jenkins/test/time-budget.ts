import { availableParallelism, loadavg } from 'node:os';

/**
 * A time budget for an end-to-end test: `ms` on an idle machine with four cores, stretched for
 * fewer cores and for the load the machine carries when the suite starts (and by
 * `LAKE_TEST_TIME_SCALE`, for machines slower still). A budget only stops a test that hangs;
 * nothing is ever asserted about how long something took.
 */
export function timeBudget(ms: number): number {
  const cores = availableParallelism();
  const busy = Math.max(1, (loadavg()[0] ?? 0) / cores);
  const scale = Number(process.env.LAKE_TEST_TIME_SCALE ?? 1);
  return Math.round(ms * Math.max(1, 4 / cores) * busy * (Number.isFinite(scale) && scale > 0 ? scale : 1));
}
