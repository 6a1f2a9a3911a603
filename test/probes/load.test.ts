import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadProbe } from '../../src/probes/load.js';
import { buildGateway, buildPod, createContext, createFakeCluster, curlOutput, parseCheck, startServer } from './helpers.js';

/** An upstream with a connection pool of 1: a second concurrent request gets 503 + x-envoy-overloaded. */
async function circuitBreaker() {
  let active = 0;
  return startServer((_req, res) => {
    if (active >= 1) {
      res.statusCode = 503;
      res.setHeader('x-envoy-overloaded', 'true');
      return res.end('upstream connect error or disconnect/reset before headers. reset reason: overflow');
    }
    active++;
    setTimeout(() => (active--, res.end('ok')), 5);
  });
}

const fortioReport = `Fortio 1.60.3 running at 0 queries per second, 4->4 procs, for 30 calls: http://httpbin:8000/get
# target 50% 0.004
# target 90% 0.008
# target 95% 0.009
# target 99% 0.012
Code 200 : 19 (63.3 %)
Code 503 : 11 (36.7 %)
All done 30 calls (plus 0 warmup) 5.1 ms avg, 500.0 qps
`;

describe('load probe', () => {
  it('trips a circuit breaker from the ingress: some 503 with x-envoy-overloaded', async () => {
    const srv = await circuitBreaker();
    try {
      const check = parseCheck({ kind: 'load', host: 'httpbin.example.com', concurrency: 4, requests: 40, expect: { status: { '200': { min: 1 }, '503': { min: 1 } }, headers: { 'x-envoy-overloaded': { min: 1 } } } });
      const r = await loadProbe(check, createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, true, r.message);
      assert.match(r.message, /^40 requests at concurrency 4 in \d+ ms from ingress 127\.0\.0\.1:\d+ \(LoadBalancer\): 200 \d+\.\d %, 503 \d+\.\d %; x-envoy-overloaded on \d+\.\d %; p50/);
    } finally {
      await srv.close();
    }
  });

  it('fails without limits: no 503 at concurrency 1', async () => {
    const srv = await circuitBreaker();
    try {
      const check = parseCheck({ kind: 'load', concurrency: 1, requests: 10, expect: { status: { '5xx': { min: 1 } } } });
      const r = await loadProbe(check, createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, false);
      assert.match(r.message, /^5xx on 0\.0 % \[0\.0–27\.8\] of responses, expected 1–100 %/);
      assert.equal((r.observed as any).samples[0].status, 200);
    } finally {
      await srv.close();
    }
  });

  it('honours qps and duration', async () => {
    const srv = await startServer((_req, res) => res.end('ok'));
    try {
      const check = parseCheck({ kind: 'load', concurrency: 2, qps: 50, duration: '200ms', expect: { status: { '200': { min: 100 } } } });
      const r = await loadProbe(check, createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, true, r.message);
      const n = Number(/^(\d+) requests/.exec(r.message)![1]);
      assert.ok(n >= 9 && n <= 11, `sent ${n}`);
    } finally {
      await srv.close();
    }
  });

  it('runs fortio in a pod and parses its report', async () => {
    const cluster = createFakeCluster([buildPod('fortio-1', { app: 'fortio' }, { containers: ['fortio', 'istio-proxy'] })], { exec: () => ({ code: 0, stdout: '', stderr: fortioReport }) });
    const check = parseCheck({ kind: 'load', from: { pod: { app: 'fortio' } }, host: 'httpbin:8000', path: '/get', concurrency: 3, requests: 30, expect: { status: { '503': { min: 20, max: 60 } }, latency: { p99: { max: '50ms' } } } });
    const r = await loadProbe(check, createContext(cluster));
    assert.equal(r.ok, true, r.message);
    assert.deepEqual(cluster.calls.exec[0].slice(0, 4), ['fortio', 'load', '-p', '50,90,95,99']);
    assert.ok(cluster.calls.exec[0].includes('http://httpbin:8000/get'));
    assert.match(r.message, /from fortio in pod default\/fortio-1: 200 63\.3 %, 503 36\.7 %; p50 4 ms, p90 8 ms, p99 12 ms/);
  });

  it('falls back to parallel curl loops when fortio is absent or headers are expected', async () => {
    const cluster = createFakeCluster([buildPod('sleep-1', { app: 'sleep' }, { containers: ['sleep', 'istio-proxy'] })], {
      exec: (_n, _p, _c, argv) => {
        if (argv[0] === 'fortio') return { code: 127, stdout: '', stderr: 'exec: "fortio": executable file not found in $PATH' };
        const n = Number(/seq 1 (\d+)/.exec(argv[2])![1]);
        return { code: 0, stdout: Array.from({ length: n }, (_, i) => (i % 3 ? curlOutput(200, {}, 'ok') : curlOutput(429, { 'x-envoy-ratelimited': 'true' }, 'local_rate_limited'))).join(''), stderr: '' };
      },
    });
    const check = parseCheck({ kind: 'load', from: { pod: { app: 'sleep' } }, host: 'productpage:9080', concurrency: 2, requests: 12, expect: { status: { '429': { min: 10 } } } });
    const r = await loadProbe(check, createContext(cluster));
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /^12 requests .* from curl in pod default\/sleep-1: 200 66\.7 %, 429 33\.3 %/);
    assert.deepEqual(cluster.calls.exec.map((a) => a[0]), ['fortio', 'sh', 'sh']);
  });
});
