import type { Band } from './bands.js';

/**
 * One DORA metric of a report: its figure, the band it falls in, and the counts behind it. With
 * no data `value` and `band` are null and `noData` says what is missing.
 */
export interface MetricResult<Counts> {
  value: number | null;
  unit: string;
  band: Band | null;
  noData: string | null;
  counts: Counts;
}
