// Monte-Carlo runs of the proportions test against a known true distribution (tests and bench).
import { pickWeighted, type Random } from './random.js';
import { SequentialProportionTest, type ProportionTestOptions } from './proportions.js';

/** One simulated run: the verdict and how many observations it took. */
export interface SimulatedRun {
  decision: 'pass' | 'fail';
  requests: number;
  decidedBy: 'sequential' | 'cap';
}

/** Runs the test once, drawing buckets from `truth` (bucket → probability) with `random`. */
export function simulateRun(options: ProportionTestOptions, truth: Record<string, number>, random: Random): SimulatedRun {
  const names = Object.keys(truth);
  const probabilities = Object.values(truth);
  const test = new SequentialProportionTest(options);
  while (test.requests < options.maxRequests) {
    if (test.observe(names[pickWeighted(probabilities, random)]) !== 'continue') break;
  }
  const v = test.verdict(true);
  return { decision: v.decision === 'fail' ? 'fail' : 'pass', requests: v.requests, decidedBy: v.decidedBy ?? 'cap' };
}

/** Summary of many runs: failure rate and the median / mean number of observations. */
export interface SimulationSummary {
  runs: number;
  failureRate: number;
  medianRequests: number;
  meanRequests: number;
  cappedRate: number;
}

/** Runs the test `runs` times and summarises. */
export function simulateMany(options: ProportionTestOptions, truth: Record<string, number>, runs: number, random: Random): SimulationSummary {
  const results = Array.from({ length: runs }, () => simulateRun(options, truth, random));
  const sizes = results.map((r) => r.requests).sort((a, b) => a - b);
  const mid = Math.floor(runs / 2);
  return {
    runs,
    failureRate: results.filter((r) => r.decision === 'fail').length / runs,
    medianRequests: runs % 2 ? sizes[mid] : (sizes[mid - 1] + sizes[mid]) / 2,
    meanRequests: sizes.reduce((a, b) => a + b, 0) / runs,
    cappedRate: results.filter((r) => r.decidedBy === 'cap').length / runs,
  };
}
