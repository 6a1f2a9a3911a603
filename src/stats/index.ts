// Statistics for probe verdicts: the sequential test of proportions (traffic splits, status mixes,
// latency shares), exact binomial arithmetic, confidence intervals, percentiles and seeded randomness.
export { createRandom, pickWeighted } from './random.js';
export type { Random } from './random.js';
export { binomialPmf, binomialCdf, binomialSf, exactRejectionRegion, rejectsExact, exactTestPower, fixedSampleSize } from './binomial.js';
export { normalQuantile } from './normal.js';
export { wilsonInterval, clopperPearsonInterval } from './intervals.js';
export type { Interval } from './intervals.js';
export { quantile, summarizeLatencies } from './percentiles.js';
export type { LatencySummary } from './percentiles.js';
export { ProportionSprt } from './sprt.js';
export type { ProportionSprtOptions, SprtState } from './sprt.js';
export { SequentialProportionTest, REST_BUCKET, DEFAULT_BETA, TOTAL_BETA, betaForAttempt } from './proportions.js';
export type { BucketReport, ProportionTestOptions, ProportionVerdict } from './proportions.js';
export { simulateRun, simulateMany } from './simulate.js';
export type { SimulatedRun, SimulationSummary } from './simulate.js';
