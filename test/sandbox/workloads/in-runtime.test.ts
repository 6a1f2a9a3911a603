// The models and tools inside the kubelet: pods started from the registry (no EmulatedImage warning),
// `kubectl exec`-style commands in a curl pod reaching httpbin / helloworld / fortio pods through a
// minimal name→pod network (standing in for the mesh), and the servers' logs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { PodNetwork } from '../../../src/sandbox/mesh/types.js';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { collector, container, runExec, startRuntime, type RuntimeHarness } from '../runtime/helpers.js';

/** Service name → [pod, service port → container port]; a stand-in for DNS + kube-proxy. */
const services: Record<string, [string, Record<number, number>]> = { httpbin: ['httpbin', { 8000: 8080 }], helloworld: ['hello', { 5000: 5000 }], fortio: ['fortio', { 8080: 8080 }] };
let h: RuntimeHarness;
let client: KubeObject;

before(async () => {
  const network: PodNetwork = {
    async fetch(_from, url, init) {
      const u = new URL(url);
      const svc = services[u.hostname];
      if (!svc) return { failure: 'dns', message: `Could not resolve host: ${u.hostname}` };
      const target = h.pod(svc[0]);
      const port = svc[1][Number(u.port || 80)];
      if (!target || !port) return { failure: 'connect-refused', message: 'refused' };
      return h.runtime.exchangePod(target.metadata.namespace!, target.metadata.name!, port, { method: init.method ?? 'GET', path: `${u.pathname}${u.search}`, authority: init.headers?.host ?? u.host, headers: init.headers ?? {}, body: init.body }, init.signal);
    },
  };
  h = startRuntime({}, { network });
  h.createPod('httpbin', { containers: [container('httpbin', 'docker.io/mccutchen/go-httpbin:v2.15.0', { ports: [{ containerPort: 8080 }] })] });
  h.createPod('hello', { containers: [container('helloworld', 'docker.io/istio/examples-helloworld-v2:1.0', { ports: [{ containerPort: 5000 }] })] });
  h.createPod('fortio', { containers: [container('fortio', 'fortio/fortio:latest_release', { ports: [{ containerPort: 8080 }] })] });
  h.createPod('curl', { containers: [container('curl', 'curlimages/curl:8.16.0', { command: ['/bin/sleep', 'infinity'] })] });
  for (const name of ['httpbin', 'hello', 'fortio']) await h.waitForPod(name, (p) => p?.status?.phase === 'Running');
  client = (await h.waitForPod('curl', (p) => p?.status?.phase === 'Running'))!;
});
after(() => h.stop());

const exec = (argv: string[]) => runExec(h.runtime.execHandler(client, 'curl'), argv);

test('the sample images are modelled: no EmulatedImage warnings, the curl pod keeps running', () => {
  for (const name of ['httpbin', 'hello', 'fortio', 'curl']) assert.deepEqual(h.events(name).filter((e) => e.reason === 'EmulatedImage'), [], name);
  assert.equal(h.pod('curl')?.status?.phase, 'Running');
});

test('curl from the client pod reaches httpbin; its log records the request', async () => {
  const r = await exec(['curl', '-sS', 'http://httpbin:8000/headers']);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout).headers['User-Agent'], ['curl/8.16.0']);
  const log = collector();
  await h.runtime.streamLogs(h.pod('httpbin')!, 'httpbin', { follow: false, timestamps: false, previous: false }, log, new AbortController().signal);
  assert.match(log.text(), /^go-httpbin listening on http:\/\/0\.0\.0\.0:8080\ntime="[^"]+" status=200 method="GET" uri="\/headers" size_bytes=\d+ duration_ms=[\d.]+ user_agent="curl\/8\.16\.0" client_ip=/);
});

test('a shell loop counts helloworld versions and httpbin status codes', async () => {
  const hello = await exec(['sh', '-c', 'for i in $(seq 1 4); do curl -s http://helloworld:5000/hello; done | cut -d, -f1 | sort | uniq -c']);
  assert.equal(hello.stdout, '      4 Hello version: v2\n');
  const codes = await exec(['sh', '-c', 'for i in {1..6}; do curl -s -o /dev/null -w "%{http_code}\\n" http://httpbin:8000/status/418; done | uniq -c']);
  assert.equal(codes.stdout, '      6 418\n');
  assert.equal((await exec(['curl', '-sS', 'http://nosuch/'])).code, 6);
  assert.equal((await exec(['wget', '-qO-', 'http://fortio:8080/echo?status=503'])).code, 8);
});

test('fortio load from the client pod against httpbin reports every call', async () => {
  const r = await exec(['fortio', 'load', '-c', '3', '-qps', '0', '-n', '12', '-loglevel', 'Warning', 'http://httpbin:8000/status/200,503']);
  assert.equal(r.code, 0);
  const codes = [...r.stderr.matchAll(/^Code (\d+) : (\d+) /gm)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(codes.reduce((s, [, n]) => s + n, 0), 12);
  assert.match(r.stderr, /^All done 12 calls \(plus 0 warmup\)/m);
});
