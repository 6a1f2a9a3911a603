import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { httpProbe } from '../../src/probes/http.js';
import { buildDeployment, buildGateway, buildPod, createContext, createFakeCluster, curlOutput, parseCheck, startServer } from './helpers.js';

describe('http probe', () => {
  it('sends one request through the ingress with the Host header and checks the response', async () => {
    const srv = await startServer((req, res) => {
      res.setHeader('server', 'istio-envoy');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ headers: { Host: req.headers.host, 'End-User': req.headers['end-user'] }, url: req.url }));
    });
    try {
      const ctx = createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port)));
      const check = parseCheck({
        kind: 'http',
        host: 'httpbin.example.com',
        path: '/headers',
        headers: { 'end-user': 'jason' },
        expect: { status: 200, headers: { server: 'istio-envoy', 'x-missing': { present: false } }, bodyContains: 'jason', jsonPath: { path: '$.headers.Host', equals: 'httpbin.example.com' }, latency: { maxMs: 5000 } },
      });
      const r = await httpProbe(check, ctx);
      assert.equal(r.ok, true, r.message);
      assert.match(r.message, /^200 in \d+ ms \(GET httpbin\.example\.com\/headers from ingress 127\.0\.0\.1:\d+ \(LoadBalancer\)\)$/);
    } finally {
      await srv.close();
    }
  });

  it('fails with what it saw: status, header, body', async () => {
    const srv = await startServer((_req, res) => ((res.statusCode = 404), res.setHeader('server', 'istio-envoy'), res.end()));
    try {
      const ctx = createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port)));
      const r = await httpProbe(parseCheck({ kind: 'http', host: 'bookinfo.example.com', path: '/productpage', expect: { bodyContains: 'Book Details', headers: { 'x-version': 'v1' } } }), ctx);
      assert.equal(r.ok, false);
      assert.match(r.message, /status 404, expected 200; header x-version is absent; body does not contain "Book Details"/);
      assert.equal((r.observed as any).response.status, 404);
    } finally {
      await srv.close();
    }
  });

  it('reports a refused connection (no Gateway listener)', async () => {
    const srv = await startServer((_req, res) => res.end());
    await srv.close();
    const ctx = createContext(createFakeCluster(buildGateway('127.0.0.1', srv.port)));
    const r = await httpProbe(parseCheck({ kind: 'http', path: '/' }), ctx);
    assert.equal(r.ok, false);
    assert.match(r.message, /no HTTP response: connection refused/);
  });

  it('sends from a deployment’s pod with curl (through its sidecar) and checks the latency bound', async () => {
    const cluster = createFakeCluster([buildDeployment('sleep', { app: 'sleep' }), buildPod('sleep-1', { app: 'sleep' }, { containers: ['sleep', 'istio-proxy'] })], {
      exec: () => ({ code: 0, stdout: curlOutput(200, { 'x-envoy-upstream-service-time': '3' }, 'hello', 2.5), stderr: '' }),
    });
    const check = parseCheck({ kind: 'http', from: { deployment: 'sleep' }, host: 'httpbin:8000', path: '/delay/2', expect: { latency: { maxMs: 1000 } } });
    const r = await httpProbe(check, createContext(cluster));
    assert.equal(r.ok, false);
    assert.match(r.message, /took 2\.50 s, expected at most 1.00 s \(GET httpbin:8000\/delay\/2 from pod default\/sleep-1 \(container sleep\)\)/);
    assert.deepEqual(cluster.calls.exec[0].slice(0, 2), ['curl', '-s']);
    assert.equal(cluster.calls.exec[0].at(-1), 'http://httpbin:8000/delay/2');
  });

  it('asks for `host` when sending from a pod', async () => {
    const cluster = createFakeCluster([buildPod('sleep-1', { app: 'sleep' })]);
    await assert.rejects(httpProbe(parseCheck({ kind: 'http', from: { pod: { app: 'sleep' } }, path: '/' }), createContext(cluster)), /`host` names what to call/);
  });
});
