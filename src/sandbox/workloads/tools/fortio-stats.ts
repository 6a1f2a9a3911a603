// fortio's statistics as it prints them (fortio.org/fortio/stats): counters, the fixed-bucket latency
// histogram with interpolated percentiles, and Go's %g / time.Duration formatting.

/** Bucket upper bounds, in units of the histogram's divider (fortio's histogramBucketValues). */
const BUCKETS = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900,
  1000, 2000, 3000, 4000, 5000, 7500, 10000, 20000, 30000, 40000, 50000, 75000, 100000,
];

/** One exported histogram bucket: [start, end], cumulative percent, count. */
export interface HistogramBucket {
  start: number;
  end: number;
  percent: number;
  count: number;
}

/** Count / min / max / sum / stddev of recorded values (fortio's stats.Counter). */
export class FortioCounter {
  count = 0;
  min = 0;
  max = 0;
  sum = 0;
  private sumOfSquares = 0;

  /** Records one value. */
  record(v: number): void {
    if (this.count === 0) this.min = this.max = v;
    else if (v < this.min) this.min = v;
    else if (v > this.max) this.max = v;
    this.count++;
    this.sum += v;
    this.sumOfSquares += v * v;
  }

  /** The mean (NaN when empty, as Go prints it). */
  avg(): number {
    return this.sum / this.count;
  }

  /** The population standard deviation. */
  stdDev(): number {
    const n = this.count;
    return Math.sqrt(Math.max(0, (this.sumOfSquares - (this.sum * this.sum) / n) / n));
  }

  /** `msg : count N avg … +/- … min … max … sum …` */
  line(msg: string): string {
    return `${msg} : count ${this.count} avg ${formatG(this.avg(), 8)} +/- ${formatG(this.stdDev(), 4)} min ${formatG(this.min)} max ${formatG(this.max)} sum ${formatG(this.sum, 9)}\n`;
  }
}

/** fortio's histogram: a counter plus fixed buckets of `divider`-sized units above `offset`. */
export class FortioHistogram extends FortioCounter {
  private readonly hdata = new Array<number>(BUCKETS.length + 1).fill(0);

  constructor(
    private readonly offset = 0,
    private readonly divider = 0.001,
  ) {
    super();
  }

  override record(v: number): void {
    super.record(v);
    const scaled = (v - this.offset) / this.divider - 0.0001;
    let idx: number;
    if (scaled <= BUCKETS[0]) idx = 0;
    else if (scaled > BUCKETS[BUCKETS.length - 1]) idx = BUCKETS.length;
    else {
      const floor = Math.floor(scaled);
      idx = BUCKETS.findIndex((b) => b > floor);
    }
    this.hdata[idx]++;
  }

  /** The non-empty buckets, first starting at min and last ending at max. */
  buckets(): HistogramBucket[] {
    const out: HistogramBucket[] = [];
    let lastIdx = -1;
    for (let i = this.hdata.length - 1; i >= 0; i--) {
      if (this.hdata[i] > 0) {
        lastIdx = i;
        break;
      }
    }
    let prev = BUCKETS[0];
    let total = 0;
    for (let i = 0; i <= lastIdx; i++) {
      if (this.hdata[i] === 0) {
        if (i < BUCKETS.length) prev = BUCKETS[i];
        continue;
      }
      total += this.hdata[i];
      const b: HistogramBucket = { start: out.length ? this.divider * prev + this.offset : this.min, end: 0, percent: (100 * total) / this.count, count: this.hdata[i] };
      if (i < BUCKETS.length) {
        b.end = this.divider * BUCKETS[i] + this.offset;
        prev = BUCKETS[i];
      } else {
        b.start = this.divider * prev + this.offset;
        b.end = this.max;
      }
      out.push(b);
    }
    if (out.length) out[out.length - 1].end = this.max;
    return out;
  }

  /** The value at `percentile`, interpolated linearly inside its bucket. */
  percentile(percentile: number): number {
    const data = this.buckets();
    if (!data.length) return NaN;
    if (percentile >= 100) return this.max;
    let pp = 100 / this.count;
    if (percentile <= pp) return this.min;
    for (const b of data) {
      if (percentile <= b.percent) return b.start + ((percentile - pp) / (b.percent - pp)) * (b.end - b.start);
      pp = b.percent;
    }
    return this.max;
  }

  /** The full print: counter line, bucket table and `# target P% V` lines (or `msg : no data`). */
  print(msg: string, percentiles: number[]): string {
    const data = this.buckets();
    if (!data.length) return `${msg} : no data\n`;
    let s = this.line(msg) + '# range, mid point, percentile, count\n';
    data.forEach((b, i) => {
      s += `${i ? '>' : '>='} ${formatG(b.start, 6)} <= ${formatG(b.end, 6)} , ${formatG((b.start + b.end) / 2, 6)} , ${b.percent.toFixed(2)}, ${b.count}\n`;
    });
    return s + this.targets(percentiles);
  }

  /** Only the `# target P% V` lines. */
  targets(percentiles: number[]): string {
    if (!this.count) return '';
    return percentiles.map((p) => `# target ${formatG(p)}% ${formatG(this.percentile(p), 6)}\n`).join('');
  }
}

/** Go's `%g` (shortest) or `%.Ng`: no trailing zeros, exponent form below 1e-4 or at/above the precision. */
export function formatG(v: number, prec?: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const neg = v < 0;
  const [mant, expText] = (prec === undefined ? Math.abs(v).toExponential() : Math.abs(v).toExponential(Math.max(prec, 1) - 1)).split('e');
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  const exp = Number(expText);
  const nd = digits.length;
  const dp = exp + 1;
  let eprec = prec ?? 6;
  if (prec !== undefined && eprec > nd && nd >= dp) eprec = nd;
  let s: string;
  if (exp < -4 || exp >= eprec) {
    s = `${digits[0]}${nd > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (dp <= 0) s = `0.${'0'.repeat(-dp)}${digits}`;
  else if (dp >= nd) s = digits + '0'.repeat(dp - nd);
  else s = `${digits.slice(0, dp)}.${digits.slice(dp)}`;
  return neg ? `-${s}` : s;
}

/** Go's time.Duration String(): `65.360704ms`, `5s`, `1m0s`, `1.5s`, `850µs`. */
export function goDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const neg = ns < 0;
  const abs = Math.abs(ns);
  const trim = (n: number, unit: number, digits: number) => {
    const whole = Math.floor(n / unit);
    const frac = String(n % unit).padStart(digits, '0').replace(/0+$/, '');
    return frac ? `${whole}.${frac}` : String(whole);
  };
  let s: string;
  if (abs < 1e3) s = `${abs}ns`;
  else if (abs < 1e6) s = `${trim(abs, 1e3, 3)}µs`;
  else if (abs < 1e9) s = `${trim(abs, 1e6, 6)}ms`;
  else {
    const h = Math.floor(abs / 3.6e12);
    const m = Math.floor((abs % 3.6e12) / 6e10);
    const sec = trim(abs % 6e10, 1e9, 9);
    s = h ? `${h}h${m}m${sec}s` : m ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${s}` : s;
}

/** Parses a Go duration (`5s`, `1m30s`, `250ms`, `1.5h`, `0`) into ms; undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * units[m[2]];
    pos = re.lastIndex;
  }
  return pos === text.length && pos > 0 ? total : undefined;
}
