// Latency histogram arithmetic over the core's buckets (each bucket counts
// the observations in (previous le, le]; le null is +Inf).
import type { LatencyBucket, LatencySeries } from "../../ipc";

/** Sum the buckets of several series (same bucket bounds). */
export function combine(series: LatencySeries[]): { buckets: LatencyBucket[]; count: number; sumSeconds: number } {
  const byLe = new Map<number | null, number>();
  for (const s of series) for (const b of s.buckets) byLe.set(b.le, (byLe.get(b.le) ?? 0) + b.count);
  const buckets = [...byLe.entries()]
    .map(([le, count]) => ({ le, count }))
    .sort((a, b) => (a.le ?? Infinity) - (b.le ?? Infinity));
  return {
    buckets,
    count: series.reduce((a, s) => a + s.count, 0),
    sumSeconds: series.reduce((a, s) => a + s.sumSeconds, 0),
  };
}

/** The upper bound of the bucket holding quantile q (null if no data or +Inf). */
export function quantileBound(buckets: LatencyBucket[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b.count, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const b of buckets) {
    seen += b.count;
    if (seen >= q * total) return b.le;
  }
  return null;
}

export function bucketLabel(b: LatencyBucket, previous: LatencyBucket | undefined): string {
  if (b.le === null) return `>${previous?.le ?? 0}s`;
  return `≤${b.le}s`;
}
