// Pod ports: connect() (port-forward) and connectPod()/podHttpHandler() (the mesh's seam) reach the
// workload models' HTTP handlers over in-memory connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import type { Duplex } from 'node:stream';
import { collector, container, startRuntime } from './helpers.js';

/** One HTTP request over a connection opened by `open`. */
function httpOver(open: () => Promise<Duplex>, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, any>; body: string }> {
  return open().then(
    (socket) =>
      new Promise((resolve, reject) => {
        const agent = new Agent();
        (agent as any).createConnection = () => socket;
        const req = request({ host: 'pod.local', path, headers, agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
      }),
  );
}

test('connect() round-trips HTTP to the echo model, which logs an access line', async (t) => {
  const h = startRuntime();
  t.after(() => h.stop());
  h.createPod('reviews-v2', { containers: [container('reviews', 'docker.io/example/reviews-echo:1.0', { ports: [{ containerPort: 9080 }] })] }, { labels: { app: 'reviews', version: 'v2' } });
  const pod = (await h.waitForPod('reviews-v2', (p) => p?.status?.phase === 'Running'))!;

  const res = await httpOver(() => h.runtime.connect(pod, 9080), '/reviews/0?x=1', { 'user-agent': 'curl/8.16.0', 'x-request-id': 'abc' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  const body = JSON.parse(res.body);
  assert.deepEqual(
    { ...body, headers: { 'user-agent': body.headers['user-agent'], 'x-request-id': body.headers['x-request-id'], host: body.headers.host } },
    {
      pod: 'reviews-v2',
      namespace: 'default',
      labels: { app: 'reviews', version: 'v2' },
      version: 'v2',
      method: 'GET',
      path: '/reviews/0?x=1',
      headers: { 'user-agent': 'curl/8.16.0', 'x-request-id': 'abc', host: 'pod.local' },
    },
  );

  const log = collector();
  await h.runtime.streamLogs(pod, 'reviews', { follow: false, timestamps: false, previous: false, tailLines: 1 }, log, new AbortController().signal);
  assert.match(log.text(), /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/reviews\/0\?x=1 HTTP\/1\.1" 200 \d+ "-" "curl\/8\.16\.0"\n$/);
});

test('ports nobody listens on refuse the connection; stopped pods have no ports', async (t) => {
  const h = startRuntime({ maxGraceMs: 20 });
  t.after(() => h.stop());
  h.createPod('web', { containers: [container('web', 'nginx:1.27', { ports: [{ containerPort: 80 }] })] });
  const pod = (await h.waitForPod('web', (p) => p?.status?.phase === 'Running'))!;
  await assert.rejects(h.runtime.connect(pod, 81), /failed to connect to localhost:81 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:81: connect: connection refused/);
  assert.equal(h.runtime.podHttpHandler('default', 'web', 81), undefined);
  assert.equal(typeof h.runtime.podHttpHandler('default', 'web', 80), 'function');

  h.registry.delete(h.pods, 'default', 'web');
  await h.waitForPod('web', (p) => p === undefined);
  await assert.rejects(h.runtime.connect(pod, 80), /failed to find sandbox/);
  assert.equal(h.runtime.podHttpHandler('default', 'web', 80), undefined);
});

test('connectPod reaches the sidecar health port and reports the caller address to the app', async (t) => {
  const h = startRuntime();
  t.after(() => h.stop());
  h.createPod('httpbin', {
    containers: [
      container('httpbin', 'docker.io/mccutchen/go-httpbin:v2.15.0', { ports: [{ containerPort: 8080 }] }),
      container('istio-proxy', 'docker.io/istio/proxyv2:1.24.0', { args: ['proxy', 'sidecar'], ports: [{ containerPort: 15090, name: 'http-envoy-prom' }] }),
    ],
  });
  const pod = (await h.waitForPod('httpbin', (p) => p?.status?.phase === 'Running'))!;
  const ready = await httpOver(() => h.runtime.connectPod('default', 'httpbin', 15021), '/healthz/ready');
  assert.equal(ready.status, 200);
  await httpOver(() => h.runtime.connectPod('default', 'httpbin', 8080, { address: '10.244.0.9', port: 51000 }), '/get');
  const log = collector();
  await h.runtime.streamLogs(pod, 'httpbin', { follow: false, timestamps: false, previous: false, tailLines: 1 }, log, new AbortController().signal);
  assert.match(log.text(), /client_ip=10\.244\.0\.9/);
  const proxyLog = collector();
  await h.runtime.streamLogs(pod, 'istio-proxy', { follow: false, timestamps: false, previous: false }, proxyLog, new AbortController().signal);
  assert.match(proxyLog.text(), /Envoy is emulated by the sandbox mesh engine/);
});
