// The direct exchange (objects handed to an in-pod server's listener) against the byte path (the
// same request written as HTTP/1.1 bytes into the pod's port and the answer parsed off the wire):
// every workload model must answer both the same, or the mesh would see a different app than
// `kubectl port-forward` does. Requests are written as Envoy sends them upstream: no Connection header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import type { MeshRequest, MeshResult, PodNetwork } from '../../../src/sandbox/mesh/types.js';
import { container, startRuntime, type RuntimeHarness } from './helpers.js';

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/** Reads one HTTP/1.1 response off `socket` (Content-Length, chunked, or until close). */
function readResponse(socket: Duplex, method: string): Promise<MeshResult> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let head: { status: number; headers: Record<string, string>; bodyStart: number } | undefined;
    const finish = (r: MeshResult) => {
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(r);
    };
    const tryParse = (ended: boolean) => {
      if (!head) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return ended ? finish({ failure: buf.length ? 'reset' : 'empty-reply', message: 'closed' }) : undefined;
        const [statusLine, ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        for (const l of lines) {
          const i = l.indexOf(':');
          const k = l.slice(0, i).toLowerCase();
          const v = l.slice(i + 1).trim();
          headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
        }
        head = { status: Number(statusLine.split(' ')[1]), headers, bodyStart: end + 4 };
      }
      const body = buf.subarray(head.bodyStart);
      const out = Object.fromEntries(Object.entries(head.headers).filter(([k]) => !hopByHop.has(k)));
      const noBody = method === 'HEAD' || head.status === 204 || head.status === 304;
      if (noBody) return finish({ status: head.status, headers: out, body: Buffer.alloc(0) });
      if (head.headers['content-length'] !== undefined) {
        const n = Number(head.headers['content-length']);
        if (body.length >= n) return finish({ status: head.status, headers: out, body: body.subarray(0, n) });
      } else if (head.headers['transfer-encoding'] === 'chunked') {
        const chunks: Buffer[] = [];
        let at = 0;
        while (true) {
          const eol = body.indexOf('\r\n', at);
          if (eol < 0) break;
          const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
          if (size === 0) return finish({ status: head.status, headers: out, body: Buffer.concat(chunks) });
          if (body.length < eol + 2 + size + 2) break;
          chunks.push(body.subarray(eol + 2, eol + 2 + size));
          at = eol + 2 + size + 2;
        }
      }
      if (ended) finish({ status: head.status, headers: out, body });
    };
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('close', () => tryParse(true));
  });
}

/** The byte path: the request as HTTP/1.1 bytes into the pod's port. */
async function viaBytes(h: RuntimeHarness, pod: string, port: number, req: MeshRequest): Promise<MeshResult> {
  const socket = await h.runtime.connectPod('default', pod, port);
  const headers = { host: req.authority, ...req.headers, ...(req.body?.length ? { 'content-length': String(req.body.length) } : {}) };
  socket.write(`${req.method} ${req.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
  if (req.body?.length) socket.write(req.body);
  return readResponse(socket, req.method);
}

/** A result with what legitimately differs between two answers (the Date header's second) removed. */
function comparable(r: MeshResult): unknown {
  if ('failure' in r) return { failure: r.failure };
  const { date, ...headers } = r.headers;
  assert.ok(date === undefined || !Number.isNaN(Date.parse(date)), `a Date header parses: ${date}`);
  return { status: r.status, headers, body: r.body.toString('latin1'), hasDate: date !== undefined };
}

const pods: Record<string, [string, number]> = {
  httpbin: ['docker.io/mccutchen/go-httpbin:v2.15.0', 8080],
  'httpbin-py': ['docker.io/kennethreitz/httpbin', 80],
  details: ['docker.io/istio/examples-bookinfo-details-v1:1.20.3', 9080],
  ratings: ['docker.io/istio/examples-bookinfo-ratings-v1:1.20.3', 9080],
  reviews: ['docker.io/istio/examples-bookinfo-reviews-v1:1.20.3', 9080],
  fortio: ['fortio/fortio:latest_release', 8080],
  hello: ['docker.io/istio/examples-helloworld-v2:1.0', 5000],
  echo: ['example.com/unmodelled:1', 8080],
  redis: ['redis:7.4', 6379],
  'catalogue-db': ['weaveworksdemos/catalogue-db:0.3.0', 3306],
};

let h: RuntimeHarness;
before(async () => {
  const network: PodNetwork = { fetch: async () => ({ failure: 'dns', message: 'no network in this test' }) };
  h = startRuntime({}, { network });
  for (const [name, [image, port]] of Object.entries(pods)) h.createPod(name, { containers: [container(name, image, { ports: [{ containerPort: port }] })] }, { labels: { app: name, version: 'v1' } });
  for (const name of Object.keys(pods)) await h.waitForPod(name, (p) => p?.status?.phase === 'Running');
});
after(() => h.stop());

const get = (path: string, headers: Record<string, string> = {}): MeshRequest => ({ method: 'GET', path, authority: 'svc.test:8000', headers: { 'user-agent': 'curl/8.16.0', accept: '*/*', ...headers } });
const cases: [string, MeshRequest][] = [
  ['httpbin', get('/get?a=1&a=2', { 'x-b3-traceid': 'abc', 'x-request-id': 'r-1' })],
  ['httpbin', get('/headers')],
  ['httpbin', get('/status/418')],
  ['httpbin', get('/status/204')],
  ['httpbin', { ...get('/get'), method: 'HEAD' }],
  ['httpbin', { method: 'POST', path: '/anything/x', authority: 'httpbin:8000', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"k":[1,2]}') }],
  ['httpbin', get('/response-headers?X-One=1&X-One=2&Set-Cookie=a%3D1')],
  ['httpbin', get('/redirect/2')],
  ['httpbin', get('/json')],
  ['httpbin', get('/nowhere')],
  ['httpbin', { ...get('/status/200'), method: 'OPTIONS', headers: { origin: 'http://x' } }],
  ['httpbin-py', get('/get')],
  ['httpbin-py', get('/status/500')],
  ['httpbin-py', { method: 'PUT', path: '/put', authority: 'httpbin', headers: {}, body: Buffer.from('plain text') }],
  ['details', get('/details/0')],
  ['details', get('/health')],
  ['ratings', get('/ratings/0')],
  ['reviews', get('/reviews/0')],
  ['reviews', get('/health')],
  ['fortio', get('/echo?status=503&size=10')],
  ['fortio', get('/fortio/')],
  ['hello', get('/hello')],
  ['echo', { method: 'POST', path: '/x?y', authority: 'echo', headers: { a: 'b' }, body: Buffer.from('hi') }],
  // Servers that drop the connection: an empty reply on both paths.
  ['redis', get('/')],
  ['catalogue-db', get('/')],
];

for (const [pod, req] of cases) {
  test(`${pod} answers ${req.method} ${req.path} the same over objects as over bytes`, async () => {
    const port = pods[pod][1];
    const bytes = await viaBytes(h, pod, port, req);
    const direct = await h.runtime.exchangePod('default', pod, port, req);
    assert.deepEqual(comparable(direct), comparable(bytes));
  });
}

test('a port nothing listens on is a refused connection, naming the pod address and the port', async () => {
  const r = await h.runtime.exchangePod('default', 'httpbin', 9999, get('/'));
  assert.ok('failure' in r);
  assert.equal(r.failure, 'connect-refused');
  assert.match(r.message, /^connect 10\.\d+\.\d+\.\d+:9999: .*connection refused/);
});

test('a client that goes away closes the response: httpbin /delay sees it and the caller gets a reset at once', async () => {
  const ctl = new AbortController();
  const started = Date.now();
  const pending = h.runtime.exchangePod('default', 'httpbin', 8080, get('/delay/5'), ctl.signal);
  setTimeout(() => ctl.abort(), 50);
  const r = await pending;
  assert.ok('failure' in r && r.failure === 'reset', JSON.stringify(r));
  assert.ok(Date.now() - started < 1000);
});

test('stopping the pod drops an exchange in flight as an empty reply', async () => {
  h.createPod('short', { containers: [container('short', 'docker.io/mccutchen/go-httpbin:v2.15.0', { ports: [{ containerPort: 8080 }] })] });
  await h.waitForPod('short', (p) => p?.status?.phase === 'Running');
  const pending = h.runtime.exchangePod('default', 'short', 8080, get('/delay/5'));
  await new Promise((r) => setTimeout(r, 30));
  h.registry.delete(h.pods, 'default', 'short', { gracePeriodSeconds: 0 });
  const r = await pending;
  assert.ok('failure' in r && r.failure === 'empty-reply', JSON.stringify(r));
});
