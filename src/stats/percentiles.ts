// Percentiles and a latency summary (milliseconds) for reports and percentile bounds.

/** The q-th quantile (0 ≤ q ≤ 1) by linear interpolation between closest ranks (R type 7); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** Count, min, mean, max and the p50/p90/p95/p99 of latencies. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  max: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/** Summarises latencies (ms); every field is NaN except count when there are none. */
export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    count: values.length,
    min: values.length ? values.reduce((a, b) => Math.min(a, b)) : NaN,
    mean: values.length ? sum / values.length : NaN,
    max: values.length ? values.reduce((a, b) => Math.max(a, b)) : NaN,
    p50: quantile(values, 0.5),
    p90: quantile(values, 0.9),
    p95: quantile(values, 0.95),
    p99: quantile(values, 0.99),
  };
}
