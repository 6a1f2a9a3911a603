// Evaluates a parsed PromQL expression at one instant over a series source, with Prometheus's
// semantics for the subset: 5-minute lookback and staleness for instant selectors, left-open range
// windows, one-to-one vector matching on all labels but the name, filtering comparisons (values kept,
// `bool` turns them into 0/1), and the metric name dropped by functions and arithmetic.
import { isComparison, matches, type Expr, type Matcher } from './promql-parser.js';
import { PromQLError } from './promql-errors.js';
import { dropName, extrapolatedRate, histogramQuantile, instantRate, labelsKey } from './promql-functions.js';
import type { Labels, Sample, StoredSeries, Value } from './promql-values.js';

/** Where selectors read series from (the TSDB, or a fixture in tests). */
export interface SeriesSource {
  /** Every stored series whose labels satisfy all matchers. */
  select(matchers: Matcher[]): StoredSeries[];
}

/** How far back an instant selector looks for a sample (Prometheus's default lookback delta). */
export const LOOKBACK_MS = 5 * 60_000;

/** Evaluates `expr` at `tMs`. */
export function evaluate(expr: Expr, tMs: number, source: SeriesSource): Value {
  return new Evaluator(tMs, source).eval(expr);
}

/** Keeps the series matching `matchers`. */
export function selectSeries(all: Iterable<StoredSeries>, matchers: Matcher[]): StoredSeries[] {
  const out: StoredSeries[] = [];
  for (const s of all) if (matchers.every((m) => matches(m, s.labels[m.name]))) out.push(s);
  return out;
}

const arithmetic: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => a ** b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '<': (a, b) => Number(a < b),
  '>': (a, b) => Number(a > b),
  '<=': (a, b) => Number(a <= b),
  '>=': (a, b) => Number(a >= b),
};

const aggregations: Record<string, (values: number[]) => number> = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  count: (v) => v.length,
  avg: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  min: (v) => v.reduce((a, b) => (b < a || Number.isNaN(a) ? b : a)),
  max: (v) => v.reduce((a, b) => (b > a || Number.isNaN(a) ? b : a)),
};

function typeName(v: Value): string {
  return { scalar: 'scalar', string: 'string', vector: 'instant vector', matrix: 'range vector' }[v.kind];
}

function sorted(samples: Sample[]): Sample[] {
  return samples.map((s) => ({ s, k: labelsKey(s.labels) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.s);
}

class Evaluator {
  constructor(
    private readonly t: number,
    private readonly source: SeriesSource,
  ) {}

  eval(e: Expr): Value {
    switch (e.type) {
      case 'number':
        return { kind: 'scalar', value: e.value };
      case 'string':
        return { kind: 'string', value: e.value };
      case 'selector':
        return e.rangeMs === undefined ? this.instant(e.matchers) : this.range(e.matchers, e.rangeMs);
      case 'negate': {
        const v = this.eval(e.expr);
        if (v.kind === 'scalar') return { kind: 'scalar', value: -v.value };
        if (v.kind === 'vector') return { kind: 'vector', samples: v.samples.map((s) => ({ labels: dropName(s.labels), value: -s.value })) };
        throw new PromQLError('bad_data', `unary expression only allowed on expressions of type scalar or instant vector, got ${typeName(v)}`);
      }
      case 'binary':
        return this.binary(e.op, this.eval(e.lhs), this.eval(e.rhs), e.bool);
      case 'aggregate':
        return this.aggregate(e.op, e.grouping, e.without, this.eval(e.expr));
      case 'call':
        return this.call(e.func, e.args);
    }
  }

  /** Latest sample within the lookback window, unless it is a staleness marker. */
  private instant(matchers: Matcher[]): Value {
    const samples: Sample[] = [];
    for (const s of this.source.select(matchers)) {
      let p;
      for (let i = s.points.length - 1; i >= 0; i--) {
        if (s.points[i].t <= this.t) {
          p = s.points[i];
          break;
        }
      }
      if (p && !p.stale && p.t > this.t - LOOKBACK_MS) samples.push({ labels: s.labels, value: p.v });
    }
    return { kind: 'vector', samples: sorted(samples) };
  }

  /** Samples in the left-open window (t - range, t]. */
  private range(matchers: Matcher[], rangeMs: number): Value {
    const series: StoredSeries[] = [];
    for (const s of this.source.select(matchers)) {
      const points = s.points.filter((p) => !p.stale && p.t > this.t - rangeMs && p.t <= this.t);
      if (points.length) series.push({ labels: s.labels, points });
    }
    return { kind: 'matrix', series };
  }

  private binary(op: string, l: Value, r: Value, bool: boolean): Value {
    const fn = arithmetic[op];
    const cmp = isComparison(op);
    if ((l.kind !== 'scalar' && l.kind !== 'vector') || (r.kind !== 'scalar' && r.kind !== 'vector')) {
      throw new PromQLError('bad_data', `binary expression must contain only scalar and instant vector types (got ${typeName(l)} ${op} ${typeName(r)})`);
    }
    if (l.kind === 'scalar' && r.kind === 'scalar') {
      if (cmp && !bool) throw new PromQLError('bad_data', 'comparisons between scalars must use BOOL modifier');
      return { kind: 'scalar', value: fn(l.value, r.value) };
    }
    const combine = (ls: Sample, lv: number, rv: number): Sample | undefined => {
      const value = fn(lv, rv);
      if (!cmp) return { labels: dropName(ls.labels), value };
      if (bool) return { labels: dropName(ls.labels), value };
      return value ? { labels: ls.labels, value: l.kind === 'vector' ? lv : rv } : undefined;
    };
    if (l.kind === 'vector' && r.kind === 'scalar') return { kind: 'vector', samples: l.samples.flatMap((s) => combine(s, s.value, r.value) ?? []) };
    if (l.kind === 'scalar' && r.kind === 'vector') return { kind: 'vector', samples: r.samples.flatMap((s) => combine(s, l.value, s.value) ?? []) };
    const right = new Map<string, Sample>();
    for (const s of (r as { samples: Sample[] }).samples) {
      const key = labelsKey(dropName(s.labels));
      if (right.has(key)) throw new PromQLError('execution', `found duplicate series for the match group ${key} on the right hand-side of the operation: many-to-many matching not allowed: matching labels must be unique on one side`);
      right.set(key, s);
    }
    const out: Sample[] = [];
    for (const s of (l as { samples: Sample[] }).samples) {
      const other = right.get(labelsKey(dropName(s.labels)));
      const res = other && combine(s, s.value, other.value);
      if (res) out.push(res);
    }
    return { kind: 'vector', samples: out };
  }

  private aggregate(op: string, grouping: string[], without: boolean, v: Value): Value {
    if (v.kind !== 'vector') throw new PromQLError('bad_data', `expected type instant vector in aggregation expression, got ${typeName(v)}`);
    const groups = new Map<string, { labels: Labels; values: number[] }>();
    for (const s of v.samples) {
      const labels: Labels = {};
      for (const [k, val] of Object.entries(s.labels)) {
        const keep = without ? k !== '__name__' && !grouping.includes(k) : grouping.includes(k);
        if (keep) labels[k] = val;
      }
      const key = labelsKey(labels);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { labels, values: [] }));
      g.values.push(s.value);
    }
    return { kind: 'vector', samples: sorted([...groups.values()].map((g) => ({ labels: g.labels, value: aggregations[op](g.values) }))) };
  }

  private call(func: string, args: Expr[]): Value {
    const arity: Record<string, [number, number]> = { rate: [1, 1], irate: [1, 1], increase: [1, 1], histogram_quantile: [2, 2], round: [1, 2], abs: [1, 1], scalar: [1, 1], vector: [1, 1], time: [0, 0] };
    const [min, max] = arity[func];
    if (args.length < min || args.length > max) throw new PromQLError('bad_data', `expected ${min === max ? min : `${min} to ${max}`} argument(s) in call to "${func}", got ${args.length}`);
    const vals = args.map((a) => this.eval(a));
    const want = (i: number, kind: Value['kind']) => {
      if (vals[i].kind !== kind) throw new PromQLError('bad_data', `expected type ${typeName({ kind } as Value)} in call to function "${func}", got ${typeName(vals[i])}`);
      return vals[i] as any;
    };
    switch (func) {
      case 'rate':
      case 'increase':
      case 'irate': {
        const m: { series: StoredSeries[] } = want(0, 'matrix');
        const rangeMs = (args[0] as { rangeMs: number }).rangeMs;
        const samples = m.series.flatMap((w) => {
          const value = func === 'irate' ? instantRate(w) : extrapolatedRate(w, this.t - rangeMs, this.t, func === 'rate');
          return value === undefined ? [] : [{ labels: dropName(w.labels), value }];
        });
        return { kind: 'vector', samples: sorted(samples) };
      }
      case 'histogram_quantile':
        return { kind: 'vector', samples: sorted(histogramQuantile(want(0, 'scalar').value, want(1, 'vector').samples)) };
      case 'round': {
        const to = vals.length > 1 ? want(1, 'scalar').value : 1;
        return { kind: 'vector', samples: (want(0, 'vector').samples as Sample[]).map((s) => ({ labels: dropName(s.labels), value: Math.floor(s.value / to + 0.5) * to })) };
      }
      case 'abs':
        return { kind: 'vector', samples: (want(0, 'vector').samples as Sample[]).map((s) => ({ labels: dropName(s.labels), value: Math.abs(s.value) })) };
      case 'scalar': {
        const samples: Sample[] = want(0, 'vector').samples;
        return { kind: 'scalar', value: samples.length === 1 ? samples[0].value : NaN };
      }
      case 'vector':
        return { kind: 'vector', samples: [{ labels: {}, value: want(0, 'scalar').value }] };
      default:
        return { kind: 'scalar', value: this.t / 1000 };
    }
  }
}
