// The PromQL functions the sandbox evaluates, as Prometheus 3 computes them (promql/functions.go):
// rate/increase with extrapolation to the window edges, irate from the last two samples, and
// histogram_quantile's linear interpolation within classic buckets.
import type { Labels, Point, Sample } from './promql-values.js';

/** Samples of one series inside a range window. */
export interface Window {
  labels: Labels;
  points: Point[];
}

/**
 * `extrapolatedRate`: increase over the window (counter resets added back), extrapolated to the
 * window edges when the first/last samples are within 1.1× the average sample interval of them
 * (else by half an interval), never below zero for counters; divided by the range for rate().
 */
export function extrapolatedRate(w: Window, startMs: number, endMs: number, isRate: boolean): number | undefined {
  const pts = w.points;
  if (pts.length < 2) return undefined;
  const first = pts[0];
  const last = pts[pts.length - 1];
  let result = last.v - first.v;
  for (let i = 1; i < pts.length; i++) if (pts[i].v < pts[i - 1].v) result += pts[i - 1].v;
  let toStart = (first.t - startMs) / 1000;
  const toEnd = (endMs - last.t) / 1000;
  const sampled = (last.t - first.t) / 1000;
  const average = sampled / (pts.length - 1);
  if (result > 0 && first.v >= 0) {
    const toZero = sampled * (first.v / result);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  let factor = interval / sampled;
  if (isRate) factor /= (endMs - startMs) / 1000;
  return result * factor;
}

/** `instantValue` for irate: per-second change between the last two samples (a reset counts from 0). */
export function instantRate(w: Window): number | undefined {
  const pts = w.points;
  if (pts.length < 2) return undefined;
  const last = pts[pts.length - 1];
  const prev = pts[pts.length - 2];
  const dt = (last.t - prev.t) / 1000;
  if (dt === 0) return undefined;
  return (last.v < prev.v ? last.v : last.v - prev.v) / dt;
}

/** Labels without `__name__` (functions and arithmetic drop the metric name). */
export function dropName(labels: Labels): Labels {
  const { __name__: _, ...rest } = labels;
  return rest;
}

/** A stable key of a label set. */
export function labelsKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `bucketQuantile` over classic `le` buckets; NaN when there is nothing to interpolate. */
function bucketQuantile(q: number, buckets: { upper: number; count: number }[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  buckets.sort((a, b) => a.upper - b.upper);
  if (buckets.length < 2 || buckets[buckets.length - 1].upper !== Infinity) return NaN;
  for (let i = 1; i < buckets.length; i++) buckets[i].count = Math.max(buckets[i].count, buckets[i - 1].count);
  const total = buckets[buckets.length - 1].count;
  if (total === 0) return NaN;
  let rank = q * total;
  const b = buckets.findIndex((x) => x.count >= rank);
  if (b === buckets.length - 1) return buckets[buckets.length - 2].upper;
  if (b === 0 && buckets[0].upper <= 0) return buckets[0].upper;
  let start = 0;
  let count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].upper;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return start + (buckets[b].upper - start) * (rank / count);
}

/** histogram_quantile(q, v): samples grouped by their labels without `le` and the metric name. */
export function histogramQuantile(q: number, samples: Sample[]): Sample[] {
  const groups = new Map<string, { labels: Labels; buckets: { upper: number; count: number }[] }>();
  for (const s of samples) {
    const le = s.labels.le;
    if (le === undefined) continue;
    const { le: _, ...rest } = dropName(s.labels);
    const key = labelsKey(rest);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels: rest, buckets: [] }));
    g.buckets.push({ upper: le === '+Inf' ? Infinity : Number(le), count: s.value });
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, value: bucketQuantile(q, g.buckets) }));
}
