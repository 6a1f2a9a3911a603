// Confidence intervals for a proportion, shown next to observed shares in reports.
import { binomialCdf, binomialSf } from './binomial.js';
import { normalQuantile } from './normal.js';

/** A two-sided interval [low, high] for a proportion. */
export type Interval = [low: number, high: number];

/** Wilson score interval for x successes in n trials (default 95 %); [0, 1] when n = 0. */
export function wilsonInterval(x: number, n: number, confidence = 0.95): Interval {
  if (n === 0) return [0, 1];
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = x / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [x === 0 ? 0 : Math.max(0, center - half), x === n ? 1 : Math.min(1, center + half)];
}

/** Finds the p in [0, 1] where a monotone function crosses a target, by bisection. */
function bisect(f: (p: number) => number, target: number, increasing: boolean): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target === increasing) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Clopper–Pearson exact interval for x successes in n trials (default 95 %). */
export function clopperPearsonInterval(x: number, n: number, confidence = 0.95): Interval {
  if (n === 0) return [0, 1];
  const tail = (1 - confidence) / 2;
  const low = x === 0 ? 0 : bisect((p) => binomialSf(x, n, p), tail, true);
  const high = x === n ? 1 : bisect((p) => binomialCdf(x, n, p), tail, false);
  return [low, high];
}
