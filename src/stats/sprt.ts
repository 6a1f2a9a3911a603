// Wald's sequential probability ratio test for one proportion, as two one-sided tests:
// H0: p = p0 against H+: p = p0 + δ and against H−: p = p0 − δ. Thresholds follow Ville's
// inequality (reject at LR ≥ 1/α, accept at LR ≤ β), so the error bounds hold at any stopping time.

/** Where a one-proportion test stands. */
export type SprtState = 'continue' | 'accept' | 'reject';

/** Parameters of one proportion's test. */
export interface ProportionSprtOptions {
  /** Expected proportion, 0 ≤ p0 ≤ 1 (0 and 1 use the ε → 0 model: one contrary observation rejects). */
  p0: number;
  /** Smallest deviation that must be detected (e.g. 0.10). */
  delta: number;
  /** False-rejection bound of each one-sided test. */
  alphaPerSide: number;
  /** Miss bound at |p − p0| ≥ δ. */
  beta: number;
}

/** One one-sided test: its alternative and running log likelihood ratio. */
interface Side {
  p1: number;
  llr: number;
  accepted: boolean;
  hit: number;
  miss: number;
}

/** ln(p1 / p0), with ln(x/0) = +∞ and ln(0/x) = −∞ (the ε → 0 model for expected 0 % and 100 %). */
function logRatio(p1: number, p0: number): number {
  if (p0 === 0) return p1 === 0 ? 0 : Infinity;
  if (p1 === 0) return -Infinity;
  return Math.log(p1 / p0);
}

/** The sequential test of one expected proportion. */
export class ProportionSprt {
  /** Observations so far. */
  n = 0;
  /** Observations that fell in the bucket. */
  hits = 0;
  private readonly sides: Side[];
  private readonly upper: number;
  private readonly lower: number;
  private rejectedBy: number | undefined;

  constructor(readonly options: ProportionSprtOptions) {
    const { p0, delta } = options;
    this.upper = Math.log(1 / options.alphaPerSide);
    this.lower = Math.log(options.beta);
    this.sides = [p0 + delta, p0 - delta]
      .filter((p1) => p1 >= -1e-12 && p1 <= 1 + 1e-12)
      .map((p1) => Math.min(1, Math.max(0, p1)))
      .map((p1) => ({ p1, llr: 0, accepted: false, hit: logRatio(p1, p0), miss: logRatio(1 - p1, 1 - p0) }));
  }

  /** Adds one observation: whether it fell in this bucket. Accepted sides keep watching for rejection. */
  observe(hit: boolean): SprtState {
    this.n++;
    if (hit) this.hits++;
    this.sides.forEach((side, i) => {
      side.llr += hit ? side.hit : side.miss;
      if (side.llr <= this.lower) side.accepted = true;
      if (side.llr >= this.upper && this.rejectedBy === undefined) this.rejectedBy = i;
    });
    return this.state;
  }

  /** Reject as soon as one side rejects; accept once every side has accepted (sticky). */
  get state(): SprtState {
    if (this.rejectedBy !== undefined) return 'reject';
    return this.sides.every((s) => s.accepted) ? 'accept' : 'continue';
  }

  /** The alternative that won when the test rejected (p0 ± δ). */
  get rejectedAlternative(): number | undefined {
    return this.rejectedBy === undefined ? undefined : this.sides[this.rejectedBy].p1;
  }
}
