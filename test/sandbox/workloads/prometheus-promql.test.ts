// The sandbox Prometheus's PromQL subset, parser and evaluator over a fixture TSDB: selectors and the
// lookback/staleness rules, rate/increase extrapolation, aggregation, comparisons, histogram_quantile,
// and the errors for what the subset does not evaluate.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../../src/sandbox/workloads/prometheus/promql-eval.js';
import { PromQLError } from '../../../src/sandbox/workloads/prometheus/promql-errors.js';
import { parsePromQL } from '../../../src/sandbox/workloads/prometheus/promql-parser.js';
import { toApiResult, type Value } from '../../../src/sandbox/workloads/prometheus/promql-values.js';
import { MemoryTsdb } from '../../../src/sandbox/workloads/prometheus/tsdb.js';

const S = 1000;

/** istio_requests_total-like counters scraped every 15 s from t=0 to t=120 s. */
function fixture(): MemoryTsdb {
  const db = new MemoryTsdb();
  const series = [
    { labels: { __name__: 'istio_requests_total', reporter: 'destination', destination_service_name: 'httpbin', response_code: '200' }, perScrape: 15 },
    { labels: { __name__: 'istio_requests_total', reporter: 'destination', destination_service_name: 'httpbin', response_code: '503' }, perScrape: 3 },
    { labels: { __name__: 'istio_requests_total', reporter: 'source', destination_service_name: 'httpbin', response_code: '200' }, perScrape: 15 },
    { labels: { __name__: 'istio_requests_total', reporter: 'destination', destination_service_name: 'reviews', response_code: '200' }, perScrape: 30 },
  ];
  for (let t = 0; t <= 120; t += 15) for (const s of series) db.append(s.labels, t * S, (t / 15) * s.perScrape);
  return db;
}

const at = (query: string, t: number, db = fixture()): Value => evaluate(parsePromQL(query), t * S, db);

function vector(v: Value): { labels: Record<string, string>; value: number }[] {
  assert.equal(v.kind, 'vector', `expected a vector, got ${v.kind}`);
  return (v as { samples: { labels: Record<string, string>; value: number }[] }).samples;
}

function rejects(query: string, pattern: RegExp, errorType = 'bad_data'): void {
  assert.throws(
    () => at(query, 120),
    (err: unknown) => err instanceof PromQLError && err.errorType === errorType && pattern.test(err.message),
  );
}

describe('sandbox Prometheus PromQL: selectors', () => {
  it('= != =~ !~ matchers select series; a bare name selects every series of the metric', () => {
    assert.equal(vector(at('istio_requests_total', 120)).length, 4);
    assert.deepEqual(vector(at('istio_requests_total{destination_service_name="httpbin",reporter="destination"}', 120)).map((s) => s.labels.response_code), ['200', '503']);
    assert.deepEqual(vector(at('istio_requests_total{destination_service_name!="httpbin"}', 120)).map((s) => s.value), [240]);
    assert.deepEqual(vector(at('istio_requests_total{response_code=~"5.."}', 120)).map((s) => s.value), [24]);
    assert.equal(vector(at('istio_requests_total{response_code!~"5.*",reporter="destination"}', 120)).length, 2);
    assert.equal(vector(at('{__name__="istio_requests_total",reporter="source"}', 120)).length, 1);
  });

  it('regex matchers are anchored (=~"http" does not match httpbin)', () => {
    assert.equal(vector(at('istio_requests_total{destination_service_name=~"http"}', 120)).length, 0);
    assert.equal(vector(at('istio_requests_total{destination_service_name=~"http.*"}', 120)).length, 3);
  });

  it('an instant selector takes the latest sample at or before t, within 5 minutes; later ones are ignored', () => {
    assert.deepEqual(vector(at('istio_requests_total{reporter="source"}', 50)).map((s) => s.value), [45]);
    assert.equal(vector(at('istio_requests_total', 120 + 299)).length, 4);
    assert.equal(vector(at('istio_requests_total', 120 + 301)).length, 0);
  });

  it('a staleness marker ends a series at once', () => {
    const db = fixture();
    db.markStale({ __name__: 'istio_requests_total', reporter: 'source', destination_service_name: 'httpbin', response_code: '200' }, 121 * S);
    assert.equal(vector(at('istio_requests_total', 120, db)).length, 4);
    assert.equal(vector(at('istio_requests_total', 125, db)).length, 3);
  });

  it('a range selector returns the samples in (t - range, t] as a matrix', () => {
    const v = at('istio_requests_total{reporter="source"}[1m]', 120);
    assert.equal(v.kind, 'matrix');
    const api = toApiResult(v, 120 * S) as any;
    assert.equal(api.resultType, 'matrix');
    assert.deepEqual(api.result[0].values.map((p: any) => p[0]), [75, 90, 105, 120]);
  });
});

describe('sandbox Prometheus PromQL: rate and increase', () => {
  it('increase over [1m] of a counter rising 1/s is 60, rate is 1 (extrapolated to the window edges)', () => {
    const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
    const inc = vector(at('increase(istio_requests_total{reporter="source"}[1m])', 120));
    assert.deepEqual(inc.map((s) => s.labels), [{ reporter: 'source', destination_service_name: 'httpbin', response_code: '200' }]);
    close(inc[0].value, 60);
    close(vector(at('rate(istio_requests_total{reporter="source"}[1m])', 120))[0].value, 1);
    close(vector(at('irate(istio_requests_total{reporter="source"}[1m])', 120))[0].value, 1);
    // At t=130 the window (70, 130] holds 75..120: 45 over 45 s, extrapolated 10 s to the end and 5 s (< 1.1 × 15 s) to the start.
    close(vector(at('increase(istio_requests_total{reporter="source"}[1m])', 130))[0].value, 45 * (45 + 5 + 10) / 45);
  });

  it('a counter reset is added back, and fewer than two samples give no result', () => {
    const db = new MemoryTsdb();
    const l = { __name__: 'c' };
    [10, 20, 5, 15].forEach((v, i) => db.append(l, i * 15 * S, v));
    // 15 - 10, plus 20 added back at the reset = 25 over 45 s, extrapolated 15 s back to the window start.
    const inc = vector(at('increase(c[1m])', 45, db))[0].value;
    assert.ok(Math.abs(inc - (25 * 60) / 45) < 1e-9, String(inc));
    assert.equal(vector(at('rate(c[10s])', 45, db)).length, 0);
  });

  it('rate() needs a range vector', () => {
    rejects('rate(istio_requests_total)', /expected type range vector in call to function "rate", got instant vector/);
  });
});

describe('sandbox Prometheus PromQL: aggregation and operators', () => {
  it('sum, sum by, sum without, count, avg, min, max', () => {
    assert.deepEqual(vector(at('sum(istio_requests_total)', 120)), [{ labels: {}, value: 120 + 24 + 120 + 240 }]);
    assert.deepEqual(vector(at('sum by (destination_service_name) (istio_requests_total{reporter="destination"})', 120)), [
      { labels: { destination_service_name: 'httpbin' }, value: 144 },
      { labels: { destination_service_name: 'reviews' }, value: 240 },
    ]);
    assert.deepEqual(vector(at('sum(istio_requests_total{reporter="destination"}) by (response_code)', 120)).map((s) => [s.labels.response_code, s.value]), [['200', 360], ['503', 24]]);
    assert.deepEqual(vector(at('sum without (response_code, reporter) (istio_requests_total)', 120)).map((s) => s.labels), [{ destination_service_name: 'httpbin' }, { destination_service_name: 'reviews' }]);
    assert.equal(vector(at('count(istio_requests_total)', 120))[0].value, 4);
    assert.equal(vector(at('avg(istio_requests_total{reporter="destination",destination_service_name="httpbin"})', 120))[0].value, 72);
    assert.equal(vector(at('max(istio_requests_total)', 120))[0].value, 240);
    assert.equal(vector(at('min(istio_requests_total)', 120))[0].value, 24);
  });

  it('a comparison with a scalar filters the vector and keeps its values; bool turns it into 0/1', () => {
    assert.deepEqual(vector(at('sum(istio_requests_total{destination_service_name="httpbin"}) > 100', 120)), [{ labels: {}, value: 264 }]);
    assert.deepEqual(vector(at('sum(istio_requests_total{destination_service_name="httpbin"}) > 1000', 120)), []);
    assert.deepEqual(vector(at('sum(istio_requests_total{destination_service_name="httpbin"}) > bool 1000', 120)), [{ labels: {}, value: 0 }]);
    assert.deepEqual(vector(at('istio_requests_total{response_code="503"} >= 24', 120))[0].labels.__name__, 'istio_requests_total');
    assert.deepEqual(at('2 > bool 1', 0), { kind: 'scalar', value: 1 });
    rejects('2 > 1', /comparisons between scalars must use BOOL modifier/);
  });

  it('arithmetic drops the metric name and matches vectors one-to-one on their labels', () => {
    const ratio = vector(at('sum(rate(istio_requests_total{reporter="destination",destination_service_name="httpbin",response_code!~"5.*"}[1m])) / sum(rate(istio_requests_total{reporter="destination",destination_service_name="httpbin"}[1m]))', 120));
    assert.equal(ratio.length, 1);
    assert.ok(Math.abs(ratio[0].value - 15 / 18) < 1e-9);
    assert.deepEqual(vector(at('istio_requests_total{reporter="source"} * 2', 120))[0], { labels: { reporter: 'source', destination_service_name: 'httpbin', response_code: '200' }, value: 240 });
    assert.deepEqual(vector(at('-sum(istio_requests_total{reporter="source"}) + 1', 120)), [{ labels: {}, value: -119 }]);
  });

  it('histogram_quantile interpolates within the bucket holding the rank', () => {
    const db = new MemoryTsdb();
    const bucket = (le: string, v: number) => db.append({ __name__: 'd_bucket', app: 'x', le }, 0, v);
    bucket('10', 50);
    bucket('100', 90);
    bucket('+Inf', 100);
    assert.deepEqual(vector(at('histogram_quantile(0.5, d_bucket)', 0, db)), [{ labels: { app: 'x' }, value: 10 }]);
    assert.deepEqual(vector(at('histogram_quantile(0.7, sum(d_bucket) by (le))', 0, db)), [{ labels: {}, value: 10 + 90 * (20 / 40) }]);
    assert.deepEqual(vector(at('histogram_quantile(0.99, d_bucket)', 0, db))[0].value, 100);
  });

  it('round, abs, scalar, vector and time', () => {
    assert.deepEqual(vector(at('round(rate(istio_requests_total{reporter="destination",response_code="503"}[1m]), 0.01)', 120))[0].value, 0.2);
    assert.deepEqual(at('scalar(sum(istio_requests_total{reporter="source"}))', 120), { kind: 'scalar', value: 120 });
    assert.deepEqual(vector(at('vector(3)', 120)), [{ labels: {}, value: 3 }]);
    assert.deepEqual(at('time()', 120), { kind: 'scalar', value: 120 });
    assert.deepEqual(vector(at('abs(-sum(istio_requests_total{reporter="source"}))', 120))[0].value, 120);
  });
});

describe('sandbox Prometheus PromQL: errors', () => {
  it('valid PromQL outside the subset is refused as bad_data naming the feature', () => {
    rejects('istio_requests_total offset 5m', /the "offset" modifier is not supported by the istio-lab sandbox's Prometheus/);
    rejects('topk(3, istio_requests_total)', /the aggregation topk\(\) is not supported/);
    rejects('label_replace(istio_requests_total, "a", "$1", "b", "(.*)")', /the function label_replace\(\) is not supported/);
    rejects('istio_requests_total and istio_requests_total', /the "and" operator is not supported/);
    rejects('sum(istio_requests_total) / on(reporter) sum(istio_requests_total)', /vector matching with "on" is not supported/);
    rejects('rate(istio_requests_total[5m:1m])', /the subquery \[5m:1m\] is not supported/);
  });

  it('syntax errors are bad_data with Prometheus parse-error wording', () => {
    rejects('sum(istio_requests_total', /1:25: parse error: unexpected end of input, expected "\)"/);
    rejects('nosuchfn(x)', /parse error: unknown function with name "nosuchfn"/);
    rejects('x{a="b"', /parse error/);
    rejects('{a=~""}', /vector selector must contain at least one non-empty matcher/);
    rejects('x[5q]', /bad duration/);
    rejects('', /no expression found in input/);
  });

  it('many-to-many matching is an execution error', () => {
    const db = new MemoryTsdb();
    db.append({ __name__: 'a', k: '1' }, 0, 1);
    db.append({ __name__: 'b', k: '1' }, 0, 2);
    assert.throws(() => at('a / {__name__=~"a|b"}', 0, db), (err: unknown) => err instanceof PromQLError && err.errorType === 'execution' && /many-to-many matching not allowed/.test(err.message));
    assert.deepEqual(vector(at('b / a', 0, db)), [{ labels: { k: '1' }, value: 2 }]);
  });
});

describe('sandbox Prometheus API result shapes', () => {
  it('vectors, scalars and special values are encoded as the HTTP API does', () => {
    assert.deepEqual(toApiResult({ kind: 'scalar', value: Infinity }, 1500), { resultType: 'scalar', result: [1.5, '+Inf'] });
    assert.deepEqual(toApiResult({ kind: 'vector', samples: [{ labels: { a: 'b' }, value: NaN }] }, 2000), { resultType: 'vector', result: [{ metric: { a: 'b' }, value: [2, 'NaN'] }] });
  });
});
