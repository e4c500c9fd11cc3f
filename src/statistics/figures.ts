// Pure computations on pre-aggregated sums: percentiles from the log-scale histograms, shares, rates.

/** Lower and upper bound in minutes of a histogram bucket (see BUCKET_SQL in repo.ts). */
export function bucketBounds(bucket: number): [number, number] {
  if (bucket <= 0) return [0, 1];
  return [2 ** ((bucket - 1) / 8), 2 ** (bucket / 8)];
}

/** The bucket a duration in minutes falls in; the same rule as the SQL, for tests and benches. */
export function bucketOf(minutes: number): number {
  return minutes < 1 ? 0 : Math.floor((8 * Math.log(minutes)) / Math.LN2) + 1;
}

/**
 * The p-quantile (0..1) of a histogram, in hours, interpolated geometrically inside the bucket it falls in
 * (linearly in the first). Null for an empty histogram.
 */
export function percentileHours(histogram: Map<number, number>, p: number): number | null {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = p * total;
  let seen = 0;
  for (const [bucket, n] of buckets) {
    if (seen + n >= rank) {
      const frac = n === 0 ? 0 : (rank - seen) / n;
      const [lo, hi] = bucketBounds(bucket);
      const minutes = bucket === 0 ? lo + (hi - lo) * frac : lo * (hi / lo) ** frac;
      return Math.round((minutes / 60) * 10) / 10;
    }
    seen += n;
  }
  return Math.round((bucketBounds(buckets[buckets.length - 1][0])[1] / 60) * 10) / 10;
}

/** A share in per cent with one decimal, or null when there is nothing to divide by. */
export function pct(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((1000 * part) / whole) / 10 : null;
}

/** Cases per 1 000 inhabitants with two decimals, or null without a population. */
export function per1000(cases: number, population: number | null): number | null {
  return population ? Math.round((100_000 * cases) / population) / 100 : null;
}
