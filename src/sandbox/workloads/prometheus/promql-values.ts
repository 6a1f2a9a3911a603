// PromQL values (scalar, string, instant vector, range vector) and the series source they are read
// from, plus the JSON shapes of the HTTP API's `data.result` for each.

/** A label set (`__name__` is the metric name). */
export type Labels = Record<string, string>;

/** One stored sample; `stale` marks a staleness marker (series gone from its target). */
export interface Point {
  t: number;
  v: number;
  stale?: boolean;
}

/** A stored series, points in time order. */
export interface StoredSeries {
  labels: Labels;
  points: Point[];
}

/** One instant-vector element. */
export interface Sample {
  labels: Labels;
  value: number;
}

/** The result of evaluating an expression at one instant. */
export type Value =
  | { kind: 'scalar'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'vector'; samples: Sample[] }
  | { kind: 'matrix'; series: StoredSeries[] };

/** Prometheus's float formatting (Go strconv 'f', -1): `+Inf`, `-Inf`, `NaN`, shortest round-trip digits. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** API timestamps are float seconds. */
function seconds(ms: number): number {
  return ms / 1000;
}

/** `{resultType, result}` of /api/v1/query for a value evaluated at `tMs`. */
export function toApiResult(value: Value, tMs: number): { resultType: string; result: unknown } {
  switch (value.kind) {
    case 'scalar':
      return { resultType: 'scalar', result: [seconds(tMs), formatValue(value.value)] };
    case 'string':
      return { resultType: 'string', result: [seconds(tMs), value.value] };
    case 'vector':
      return { resultType: 'vector', result: value.samples.map((s) => ({ metric: s.labels, value: [seconds(tMs), formatValue(s.value)] })) };
    case 'matrix':
      return { resultType: 'matrix', result: value.series.map((s) => ({ metric: s.labels, values: s.points.map((p) => [seconds(p.t), formatValue(p.v)]) })) };
  }
}
