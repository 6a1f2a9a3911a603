import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLatencyProbe } from '../../src/probes/latency.js';
import { createRandom } from '../../src/stats/index.js';
import { buildGateway, buildPod, createContext, createFakeCluster, curlOutput, parseCheck, startServer } from './helpers.js';

const probe = createLatencyProbe({ concurrency: 20, podBatch: 5, podParallel: 4 });

/** An ingress that delays a share of responses by `delayMs` (a fault delay), seeded. */
async function delayingIngress(share: number, delayMs: number, seed = 1) {
  const random = createRandom(seed);
  return startServer((_req, res) => {
    if (random() < share) setTimeout(() => res.end('slow'), delayMs);
    else res.end('fast');
  });
}

describe('latency probe', () => {
  it('passes when about half the requests are delayed (fault delay 50 %)', async () => {
    const srv = await delayingIngress(0.5, 120);
    try {
      const check = parseCheck({ kind: 'latency', requests: 60, expect: { slowerThan: '100ms', proportion: 50 } });
      const r = await probe(check, createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, true, r.message);
      assert.match(r.message, /^slower than 100ms \d+\.\d % \[[\d.–]+\] \(expected 50 %\) after \d+ requests/);
      assert.match(r.message, /p50 \d+ ms, p90 \d+ ms, p99 \d+ ms, max \d+ ms/);
    } finally {
      await srv.close();
    }
  });

  it('fails when no delay is configured', async () => {
    const srv = await delayingIngress(0, 120);
    try {
      // A 1 s threshold: undelayed answers stay far below it even on a loaded CI machine.
      const check = parseCheck({ kind: 'latency', requests: 60, expect: { slowerThan: '1s', proportion: 50 } });
      const r = await probe(check, createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, false);
      assert.match(r.message, /^slower than 1s 0\.0 % \[[\d.–]+\] \(expected 50 %\); after \d+ requests/);
      assert.ok((r.observed as any).samples.length >= 1);
    } finally {
      await srv.close();
    }
  });

  it('fails the first fast response when all must be slow (proportion 100, the default)', async () => {
    const srv = await delayingIngress(0, 0);
    try {
      const check = parseCheck({ kind: 'latency', requests: 20, expect: { slowerThan: '2s' } });
      const r = await createLatencyProbe({ concurrency: 1, podBatch: 1, podParallel: 1 })(check, createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, false);
      assert.match(r.message, /after 1 request/);
    } finally {
      await srv.close();
    }
  });

  it('checks percentiles from a pod (curl time_total)', async () => {
    let i = 0;
    const cluster = createFakeCluster([buildPod('sleep-1', { app: 'sleep' }, { containers: ['sleep', 'istio-proxy'] })], {
      exec: (_n, _p, _c, argv) => {
        const n = Number(/seq 1 (\d+)/.exec(argv[2])![1]);
        return { code: 0, stdout: Array.from({ length: n }, () => curlOutput(200, {}, 'ok', (i++ % 10) / 100)).join(''), stderr: '' };
      },
    });
    const check = parseCheck({ kind: 'latency', from: { pod: { app: 'sleep' } }, host: 'httpbin:8000', requests: 20, expect: { percentiles: { p50: { max: '60ms' }, p99: { max: '50ms' } } } });
    const r = await probe(check, createContext(cluster));
    assert.equal(r.ok, false);
    assert.match(r.message, /^p99 90 ms is above 50ms/);
  });
});
