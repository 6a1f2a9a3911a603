// Exact binomial arithmetic: log-factorials, pmf/cdf, the equal-tailed exact test and the fixed
// sample size that the sequential test is compared with.

let logFactorials = new Float64Array([0, 0]);

/** ln(n!) from a table grown on demand. */
export function logFactorial(n: number): number {
  if (n >= logFactorials.length) {
    const next = new Float64Array(Math.max(n + 1, logFactorials.length * 2));
    next.set(logFactorials);
    for (let i = logFactorials.length; i < next.length; i++) next[i] = next[i - 1] + Math.log(i);
    logFactorials = next;
  }
  return logFactorials[n];
}

/** P(X = k) for X ~ Binomial(n, p), exact at p = 0 and p = 1. */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  return Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += binomialPmf(i, n, p);
  return Math.min(1, sum);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialSf(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let sum = 0;
  for (let i = k; i <= n; i++) sum += binomialPmf(i, n, p);
  return Math.min(1, sum);
}

/** Rejection region of the equal-tailed exact test at level alpha: reject when X ≤ low or X ≥ high. */
export function exactRejectionRegion(n: number, p0: number, alpha: number): { low: number; high: number } {
  let low = -1;
  let tail = 0;
  for (let k = 0; k <= n; k++) {
    tail += binomialPmf(k, n, p0);
    if (tail > alpha / 2) break;
    low = k;
  }
  let high = n + 1;
  tail = 0;
  for (let k = n; k >= 0; k--) {
    tail += binomialPmf(k, n, p0);
    if (tail > alpha / 2) break;
    high = k;
  }
  return { low, high };
}

/** Equal-tailed exact binomial test: true when x successes of n contradict p0 at level alpha. */
export function rejectsExact(x: number, n: number, p0: number, alpha: number): boolean {
  const { low, high } = exactRejectionRegion(n, p0, alpha);
  return x <= low || x >= high;
}

/** Power of the equal-tailed exact test of p0 at level alpha when the true proportion is p. */
export function exactTestPower(n: number, p0: number, p: number, alpha: number): number {
  const { low, high } = exactRejectionRegion(n, p0, alpha);
  return binomialCdf(low, n, p) + binomialSf(high, n, p);
}

/**
 * Smallest n for which the equal-tailed exact test of p0 at level alpha has power ≥ 1 − beta at
 * p0 + delta and p0 − delta (those inside [0, 1]): the fixed-sample design with the same error rates.
 */
export function fixedSampleSize(p0: number, delta: number, alpha: number, beta: number, limit = 100_000): number {
  const alternatives = [p0 + delta, p0 - delta].filter((p) => p >= -1e-12 && p <= 1 + 1e-12).map((p) => Math.min(1, Math.max(0, p)));
  const enough = (n: number) => alternatives.every((p) => exactTestPower(n, p0, p, alpha) >= 1 - beta);
  // Power is not monotone in n (discreteness), so find a bracket by doubling, then scan down from it.
  let high = 1;
  while (high < limit && !enough(high)) high *= 2;
  let n = Math.min(high, limit);
  for (let m = n - 1; m >= Math.floor(high / 2); m--) if (enough(m)) n = m;
  return n;
}
