import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTrafficProbe, trafficProbe } from '../../src/probes/traffic.js';
import { createRandom } from '../../src/stats/index.js';
import { buildGateway, buildPod, createContext, createFakeCluster, curlOutput, parseCheck, startServer } from './helpers.js';

/** An ingress that answers with x-version v1/v2 at the given share of v2 (seeded). */
async function weightedIngress(v2Share: number, seed = 1) {
  const random = createRandom(seed);
  return startServer((_req, res) => {
    res.setHeader('x-version', random() < v2Share ? 'v2' : 'v1');
    res.end('ok');
  });
}

const split = (extra: object = {}) =>
  parseCheck({ kind: 'traffic', host: 'reviews.example.com', classify: { by: 'header', header: 'x-version' }, expect: { split: { v1: 75, v2: 25 } }, ...extra });

describe('traffic probe', () => {
  it('passes a correct 75/25 split and reports shares with intervals and the requests used', async () => {
    const srv = await weightedIngress(0.25);
    try {
      const r = await trafficProbe(split(), createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, true, r.message);
      assert.match(r.message, /^split holds: v1 \d+\.\d % \[\d+\.\d–\d+\.\d\] \(expected 75 %\), v2 \d+\.\d % \[[\d.–]+\] \(expected 25 %\) after \d+ requests \(sequential test\)/);
      const used = Number(/after (\d+) requests/.exec(r.message)![1]);
      assert.ok(used < 1000, `used ${used}`);
    } finally {
      await srv.close();
    }
  });

  it('fails a 50/50 routing when 75/25 is expected, with the distribution and samples', async () => {
    const srv = await weightedIngress(0.5, 2);
    try {
      const r = await trafficProbe(split(), createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, false);
      assert.match(r.message, /^split is off in (v1 and v2|v1|v2): v1 \d/);
      const observed = r.observed as any;
      assert.ok(observed.requests < 1000);
      assert.match(observed.distribution, /v2 \d+\.\d %/);
      assert.deepEqual(observed.samples.map((s: any) => s.bucket).sort(), ['v1', 'v2']);
      assert.equal(observed.samples[0].status, 200);
      assert.ok(observed.samples[0].headers['x-version']);
    } finally {
      await srv.close();
    }
  });

  it('fails at once when all traffic goes to one subset (0 % expected elsewhere)', async () => {
    const srv = await weightedIngress(0);
    try {
      const check = parseCheck({ kind: 'traffic', classify: { by: 'header', header: 'x-version' }, expect: { split: { v2: 100 } } });
      const r = await createTrafficProbe({ concurrency: 1, podBatch: 1, podParallel: 1 })(check, createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, false);
      assert.match(r.message, /^split is off in v2 and unexpected buckets: v2 0\.0 % \[[\d.–]+\] \(expected 100 %\), v1 100\.0 % \[[\d.–]+\] \(expected 0 %\) after 1 request \(sequential test\)/);
    } finally {
      await srv.close();
    }
  });

  it('tests a status mix (50 % 500 from a fault abort)', async () => {
    const random = createRandom(3);
    const srv = await startServer((_req, res) => ((res.statusCode = random() < 0.5 ? 500 : 200), res.end(res.statusCode === 500 ? 'fault filter abort' : 'ok')));
    try {
      const check = parseCheck({ kind: 'traffic', classify: { by: 'status' }, expect: { mix: { '500': 50 } } });
      const r = await trafficProbe(check, createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, true, r.message);
      assert.match(r.message, /^mix holds: 500 \d+\.\d %/);
    } finally {
      await srv.close();
    }
  });

  it('sends from a pod in batches of curl loops', async () => {
    const random = createRandom(4);
    const cluster = createFakeCluster([buildPod('sleep-1', { app: 'sleep' }, { containers: ['sleep', 'istio-proxy'] })], {
      exec: (_ns, _pod, _c, argv) => {
        const n = Number(/seq 1 (\d+)/.exec(argv[2])![1]);
        const out = Array.from({ length: n }, () => curlOutput(200, {}, `<p>reviews-${random() < 0.5 ? 'v3' : 'v2'}-abc</p>`)).join('');
        return { code: 0, stdout: out, stderr: '' };
      },
    });
    const check = parseCheck({ kind: 'traffic', from: { pod: { app: 'sleep' } }, host: 'reviews:9080', path: '/reviews/0', classify: { by: 'bodyRegex', pattern: 'reviews-(v\\d)' }, expect: { split: { v2: 50, v3: 50 } } });
    const r = await trafficProbe(check, createContext(cluster));
    assert.equal(r.ok, true, r.message);
    assert.ok(cluster.calls.exec.length >= 2);
    assert.equal(cluster.calls.exec[0][0], 'sh');
  });

  it('decides at the request cap with the exact test', async () => {
    const srv = await weightedIngress(0.25, 5);
    try {
      const r = await trafficProbe(split({ maxRequests: 40 }), createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port))));
      assert.equal(r.ok, true, r.message);
      assert.match(r.message, /after 40 requests \(exact test at the request cap\)/);
    } finally {
      await srv.close();
    }
  });
});
