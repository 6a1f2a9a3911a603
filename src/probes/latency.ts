// `latency` probe: the share of requests slower (or faster) than a bound, by the same sequential
// test as traffic splits, and latency percentiles (fault delays, timeouts).
import type { LatencyCheck } from '../lab/index.js';
import { parseDuration } from '../lab/index.js';
import { SequentialProportionTest, betaForAttempt, summarizeLatencies } from '../stats/index.js';
import { countAttempt } from './attempts.js';
import { collectInOrder, type ObservedResponse } from '../traffic/index.js';
import { checkPercentiles, formatMs } from './compare.js';
import type { Probe } from './probe.js';
import { openTrafficSource, type SourceTuning } from './source.js';
import { SampleKeeper, formatBucket, formatDecision } from './verdict-report.js';

/** Parallelism of latency checks: 10 requests in flight from the ingress, 4 execs of 5 from a pod. */
export const LATENCY_TUNING: SourceTuning = { concurrency: 10, podBatch: 5, podParallel: 4 };

/** False-failure rate of the latency share test (the traffic check's default). */
export const LATENCY_FALSE_FAILURE_RATE = 0.001;

/** The bucket a latency check counts, e.g. "slower than 3s", and whether a response falls in it. */
export function latencyBucket(expect: LatencyCheck['expect']): { label: string; hit: (r: ObservedResponse) => boolean } | undefined {
  const slower = expect.slowerThan === undefined ? undefined : parseDuration(expect.slowerThan);
  const faster = expect.fasterThan === undefined ? undefined : parseDuration(expect.fasterThan);
  if (slower === undefined && faster === undefined) return undefined;
  const label = [expect.slowerThan && `slower than ${expect.slowerThan}`, expect.fasterThan && `faster than ${expect.fasterThan}`].filter(Boolean).join(' and ');
  return { label, hit: (r) => (slower === undefined || r.latencyMs >= slower) && (faster === undefined || r.latencyMs < faster) };
}

/** Creates the latency probe with the given parallelism. */
export function createLatencyProbe(tuning: SourceTuning = LATENCY_TUNING): Probe<LatencyCheck> {
  return async (check, ctx, budget) => {
    const bucket = latencyBucket(check.expect);
    const test = bucket
      ? new SequentialProportionTest({
          expected: { [bucket.label]: check.expect.proportion / 100 },
          exhaustive: false,
          delta: (2 * check.tolerance) / 100,
          alpha: LATENCY_FALSE_FAILURE_RATE,
          maxRequests: check.requests,
          beta: betaForAttempt(countAttempt(ctx, check)),
        })
      : undefined;
    const samples = new SampleKeeper();
    const source = await openTrafficSource(check, ctx, tuning, budget);
    let responses: ObservedResponse[];
    try {
      responses = await collectInOrder({
        max: check.requests,
        batchSize: source.batchSize,
        parallel: source.parallel,
        sendBatch: source.sendBatch,
        signal: ctx.signal,
        onResponse: (r) => {
          const name = bucket?.hit(r) ? bucket.label : 'other';
          samples.add(r.status === 0 ? 'error' : name, r);
          // Percentile bounds need every request; a share alone stops when decided.
          return test !== undefined && test.observe(name) !== 'continue' && !check.expect.percentiles;
        },
      });
    } finally {
      await source.close();
    }
    const summary = summarizeLatencies(responses.map((r) => r.latencyMs));
    const problems = check.expect.percentiles ? checkPercentiles(check.expect.percentiles, summary as unknown as Record<string, number>) : [];
    const verdict = test?.verdict(true);
    const shown = verdict ? formatBucket(verdict.buckets.find((b) => b.bucket === bucket!.label)!) : '';
    if (verdict?.decision === 'fail') problems.unshift(shown);
    const errors = responses.filter((r) => r.status === 0).length;
    const latencies = `p50 ${formatMs(summary.p50)}, p90 ${formatMs(summary.p90)}, p99 ${formatMs(summary.p99)}, max ${formatMs(summary.max)}`;
    const share = verdict ? `${shown} ${formatDecision(verdict)}; ` : `${responses.length} requests; `;
    const tail = `${latencies}${errors ? `; ${errors} without a response` : ''} from ${source.describe}`;
    if (!problems.length) return { ok: true, message: `${share}${tail}` };
    return { ok: false, message: `${problems.join('; ')}; ${verdict ? formatDecision(verdict) + '; ' : ''}${tail}`, observed: { latencies, summary, samples: samples.list(), ...(verdict ? { buckets: verdict.buckets } : {}) } };
  };
}

/** The latency probe with default parallelism. */
export const latencyProbe = createLatencyProbe();
