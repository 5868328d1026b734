/**
 * The dashboards' median: values ranked with SQL `percent_rank`, the largest whose rank is at
 * most 0.5, which is the element at ⌊(n−1)/2⌋ of the sorted values (the lower median for even
 * n). NULL for no values.
 */
export function lowerMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * The six-month deployment-days median of the 2021 dashboard: the smallest value whose
 * `percent_rank` is at least 0.5 (the upper median). Where the dashboard gets NULL, one value or
 * all values tied, Lake takes that shared value instead of leaving the band to chance (§3.2.6).
 */
export function upperMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const count = sorted.length;
  for (let index = 0; index < count; index += 1) {
    const rank = count === 1 ? 0 : sorted.indexOf(sorted[index]!) / (count - 1);
    if (rank >= 0.5) return sorted[index]!;
  }
  return sorted[0]!;
}
