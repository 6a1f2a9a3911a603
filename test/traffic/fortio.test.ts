import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildFortioArgs, parseFortioReport } from '../../src/traffic/index.js';

const report = `Fortio 1.60.3 running at 0 queries per second, 4->4 procs, for 30 calls: http://httpbin:8000/get
Starting at max qps with 3 thread(s) [gomax 4] for exactly 30 calls (10 per thread + 0)
23:12:01.123 W http_client.go:679> Parsed non ok code 503 (HTTP/1.1 503)
Ended after 51.8ms : 30 calls. qps=579.15
Aggregated Function Time : count 30 avg 0.0051 +/- 0.002 min 0.0012 max 0.011 sum 0.153
# range, mid point, percentile, count
>= 0.0012 <= 0.002 , 0.0016 , 10.00, 3
# target 50% 0.0048
# target 90% 0.0082
# target 99% 0.0107
Error cases : count 6 avg 0.002 +/- 0.001 min 0.001 max 0.004 sum 0.012
Sockets used: 8 (for perfect keepalive, would be 3)
Code 200 : 24 (80.0 %)
Code 503 : 5 (16.7 %)
Code  -1 : 1 (3.3 %)
Response Header Sizes : count 30 avg 230 +/- 0 min 230 max 230 sum 6900
All done 30 calls (plus 0 warmup) 5.100 ms avg, 579.2 qps
`;

describe('fortio', () => {
  it('parses codes (-1 as no response), percentiles in ms and the summary line', () => {
    const r = parseFortioReport(report)!;
    assert.deepEqual(r.codes, { 0: 1, 200: 24, 503: 5 });
    assert.equal(r.total, 30);
    assert.equal(r.percentiles.p50, 4.8);
    assert.equal(r.percentiles.p99, 10.7);
    assert.equal(r.avgMs, 5.1);
    assert.equal(r.actualQps, 579.2);
    assert.equal(parseFortioReport('Error: no such host'), undefined);
  });

  it('builds `fortio load` arguments for a count or a duration', () => {
    const spec = { method: 'GET', path: '/get', host: 'httpbin.example.com' };
    assert.deepEqual(buildFortioArgs('http://httpbin:8000/get', spec, { concurrency: 3, qps: 0, requests: 30 }, false), ['fortio', 'load', '-c', '3', '-qps', '0', '-n', '30', '-loglevel', 'Warning', 'http://httpbin:8000/get']);
    const timed = buildFortioArgs('http://gw/', spec, { concurrency: 2, qps: 10, durationMs: 5000 }, true);
    assert.deepEqual(timed.slice(6, 8), ['-t', '5000ms']);
    assert.ok(timed.includes('Host: httpbin.example.com'));
  });
});
