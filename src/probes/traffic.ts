// `traffic` probe: many requests, each classified into a bucket, and a sequential test of the
// expected split or status mix that stops as soon as the evidence is decisive (docs/statistics.md).
import type { TrafficCheck } from '../lab/index.js';
import { SequentialProportionTest, betaForAttempt } from '../stats/index.js';
import { countAttempt } from './attempts.js';
import { collectInOrder, createClassifier } from '../traffic/index.js';
import type { Probe } from './probe.js';
import { openTrafficSource, type SourceTuning } from './source.js';
import { SampleKeeper, StatusTally, formatDecision, formatDeviating, formatDistribution } from './verdict-report.js';

/** Parallelism of traffic checks: 8 requests in flight from the ingress, 2 execs of 20 from a pod. */
export const TRAFFIC_TUNING: SourceTuning = { concurrency: 8, podBatch: 20, podParallel: 2 };

/** Builds the sequential test a traffic check describes (tolerance t: deviations of 2t are detected) for its n-th attempt. */
export function createTrafficTest(check: Pick<TrafficCheck, 'expect' | 'tolerance' | 'falseFailureRate' | 'maxRequests'>, attempt = 1): SequentialProportionTest {
  const expected = check.expect.split ?? check.expect.mix ?? {};
  return new SequentialProportionTest({
    expected: Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v / 100])),
    exhaustive: check.expect.split !== undefined,
    delta: (2 * check.tolerance) / 100,
    alpha: check.falseFailureRate,
    maxRequests: check.maxRequests,
    beta: betaForAttempt(attempt),
  });
}

/** Creates the traffic probe with the given parallelism. */
export function createTrafficProbe(tuning: SourceTuning = TRAFFIC_TUNING): Probe<TrafficCheck> {
  return async (check, ctx, budget) => {
    const test = createTrafficTest(check, countAttempt(ctx, check));
    const classify = createClassifier(check.classify);
    const samples = new SampleKeeper();
    const statuses = new StatusTally();
    const source = await openTrafficSource(check, ctx, tuning, budget);
    try {
      await collectInOrder({
        max: check.maxRequests,
        batchSize: source.batchSize,
        parallel: source.parallel,
        sendBatch: source.sendBatch,
        signal: ctx.signal,
        onResponse: (r) => {
          const bucket = classify(r);
          samples.add(bucket, r);
          statuses.add(r);
          return test.observe(bucket) !== 'continue';
        },
      });
    } finally {
      await source.close();
    }
    const v = test.verdict(true);
    const distribution = formatDistribution(v);
    const what = check.expect.split ? 'split' : 'mix';
    if (v.decision === 'pass') return { ok: true, message: `${what} holds: ${distribution} ${formatDecision(v)} from ${source.describe}` };
    return {
      ok: false,
      message: `${what} is off in ${formatDeviating(v)}: ${distribution} ${formatDecision(v)} from ${source.describe}${statuses.format() ? `; statuses: ${statuses.format()}` : ''}`,
      observed: { distribution, requests: v.requests, decidedBy: v.decidedBy, samples: samples.list(), buckets: v.buckets },
    };
  };
}

/** The traffic probe with default parallelism. */
export const trafficProbe = createTrafficProbe();
