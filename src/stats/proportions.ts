// The sequential test for a traffic split or a status mix: one ProportionSprt per bucket with a
// Bonferroni share of the false-failure budget, stopping as soon as the evidence is decisive and,
// if still undecided at maxRequests, deciding by the exact fixed-sample test. See docs/statistics.md.
import { rejectsExact } from './binomial.js';
import { wilsonInterval, type Interval } from './intervals.js';
import { ProportionSprt } from './sprt.js';

/** Total miss rate at a deviation of delta, over all attempts of a check's retry loop (power ≥ 99 %). */
export const TOTAL_BETA = 0.01;

/** Miss rate spent on attempt j (1, 2, …) of a retried check: TOTAL_BETA / (j(j+1)), which sums to TOTAL_BETA. */
export function betaForAttempt(attempt: number, total = TOTAL_BETA): number {
  const j = Math.max(1, Math.floor(attempt));
  return total / (j * (j + 1));
}

/** Miss rate of a single attempt (the first term of the spending sequence: 0.5 %). */
export const DEFAULT_BETA = betaForAttempt(1);

/** Name of the bucket that collects everything a split does not name (expected 0 %). */
export const REST_BUCKET = '(any other)';

/** Parameters of a proportions test. */
export interface ProportionTestOptions {
  /** Bucket → expected proportion (0..1). */
  expected: Record<string, number>;
  /** A split covers all traffic (unnamed buckets are expected at 0 %); a mix constrains only the named buckets. */
  exhaustive: boolean;
  /** Deviation (0..1) detected with probability ≥ 1 − beta. */
  delta: number;
  /** Accepted chance of failing when the true proportions are the expected ones. */
  alpha: number;
  /** Accepted chance of passing at a deviation of delta (default DEFAULT_BETA = 0.005). */
  beta?: number;
  /** Cap on observations; an undecided test is settled there by the exact fixed-sample test. */
  maxRequests: number;
  /** Part of alpha spent by the sequential boundaries; the rest goes to the test at the cap (default 0.5). */
  sequentialShare?: number;
}

/** One bucket in a verdict. */
export interface BucketReport {
  bucket: string;
  /** Expected proportion (undefined: unconstrained, only observed). */
  expected?: number;
  count: number;
  observed: number;
  /** 95 % Wilson interval of the observed proportion. */
  interval: Interval;
}

/** The outcome of a proportions test so far. */
export interface ProportionVerdict {
  decision: 'pass' | 'fail' | 'continue';
  requests: number;
  /** What settled it: the sequential boundaries, or the fixed-sample test at the cap. */
  decidedBy?: 'sequential' | 'cap';
  /** Buckets that contradict the expectation (on fail). */
  deviating: string[];
  buckets: BucketReport[];
}

/** Sequential test of expected proportions over a stream of classified observations. */
export class SequentialProportionTest {
  private readonly tests = new Map<string, ProportionSprt>();
  private readonly counts = new Map<string, number>();
  private readonly capAlpha: number;
  private n = 0;

  constructor(readonly options: ProportionTestOptions) {
    const expected: Record<string, number> = { ...options.expected };
    const named = Object.values(expected).reduce((a, b) => a + b, 0);
    if (options.exhaustive && !(REST_BUCKET in expected)) expected[REST_BUCKET] = Math.max(0, 1 - named);
    const inner = Object.entries(expected).filter(([, p]) => p > 0 && p < 1);
    // Two complementary buckets of a split are one test (the rest is tested on its own at 0 %).
    const m = Math.max(1, options.exhaustive && inner.length === 2 ? 1 : inner.length);
    const share = options.sequentialShare ?? 0.5;
    const delta = Math.min(0.99, Math.max(1e-3, options.delta));
    this.capAlpha = (options.alpha * (1 - share)) / m;
    for (const [bucket, p0] of Object.entries(expected)) {
      this.tests.set(bucket, new ProportionSprt({ p0, delta, alphaPerSide: (options.alpha * share) / (2 * m), beta: options.beta ?? DEFAULT_BETA }));
    }
  }

  /** The test bucket an observed bucket counts towards. */
  private testBucket(bucket: string): string | undefined {
    if (this.tests.has(bucket)) return bucket;
    return this.options.exhaustive ? REST_BUCKET : undefined;
  }

  /** Adds one classified observation and returns the decision so far. */
  observe(bucket: string): ProportionVerdict['decision'] {
    this.n++;
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    const target = this.testBucket(bucket);
    for (const [name, test] of this.tests) test.observe(name === target);
    return this.sequentialDecision();
  }

  private sequentialDecision(): ProportionVerdict['decision'] {
    const states = [...this.tests.values()].map((t) => t.state);
    if (states.includes('reject')) return 'fail';
    return states.every((s) => s === 'accept') ? 'pass' : 'continue';
  }

  /** Observations so far. */
  get requests(): number {
    return this.n;
  }

  /** The verdict now; at maxRequests (or when `final`) an undecided test is settled by the exact test. */
  verdict(final = false): ProportionVerdict {
    let decision = this.sequentialDecision();
    let decidedBy: ProportionVerdict['decidedBy'] = decision === 'continue' ? undefined : 'sequential';
    let deviating = [...this.tests].filter(([, t]) => t.state === 'reject').map(([b]) => b);
    if (decision === 'continue' && (final || this.n >= this.options.maxRequests) && this.n > 0) {
      deviating = [...this.tests].filter(([, t]) => rejectsExact(t.hits, t.n, t.options.p0, this.capAlpha)).map(([b]) => b);
      decision = deviating.length ? 'fail' : 'pass';
      decidedBy = 'cap';
    }
    return { decision, requests: this.n, decidedBy, deviating, buckets: this.report() };
  }

  /** Every expected bucket (in order), then the other observed ones by count, with 95 % Wilson intervals. */
  private report(): BucketReport[] {
    const unnamed = [...this.counts.keys()].filter((b) => !(b in this.options.expected)).sort((a, b) => this.counts.get(b)! - this.counts.get(a)!);
    const names = [...Object.keys(this.options.expected), ...unnamed];
    return names.map((bucket) => {
      const count = this.counts.get(bucket) ?? 0;
      const expected = this.options.expected[bucket] ?? (this.options.exhaustive ? 0 : undefined);
      return { bucket, expected, count, observed: this.n ? count / this.n : 0, interval: wilsonInterval(count, this.n) };
    });
  }
}
