// Issue 6 acceptance for the load, envoy-stats and latency probes against the sandbox mesh: httpbin
// with fortio and curl clients. DestinationRule connection-pool limits (§5) make concurrent load
// overflow — 503 with x-envoy-overloaded, counted in upstream_rq_pending_overflow — and without them
// nothing overflows; a VirtualService fault delay (§3) makes about half the requests slow, and
// without it none is. Each wrong config fails with what was observed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadProbe } from '../../src/probes/load.js';
import { envoyStatsProbe } from '../../src/probes/envoy-stats.js';
import { latencyProbe } from '../../src/probes/latency.js';
import { httpProbe } from '../../src/probes/http.js';
import { eventually } from '../helpers/sandbox.js';
import { startMeshSandbox, type MeshSandbox } from '../helpers/mesh-sandbox.js';
import { parseCheck } from './helpers.js';

const LIMITS = 'labs/core/circuit-breaking/destination-rule.yaml';
const INGRESS = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: httpbin-gateway }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: httpbin-ingress }
spec:
  hosts: ["*"]
  gateways: [httpbin-gateway]
  http: [{ route: [{ destination: { host: httpbin, port: { number: 8000 } } }] }]
`;
const DELAY_HALF = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: httpbin }
spec:
  hosts: [httpbin]
  http:
  - fault: { delay: { fixedDelay: 500ms, percentage: { value: 50 } } }
    route: [{ destination: { host: httpbin } }]
`;
const OVERFLOW = 'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow';

const fortioLoad = parseCheck({ kind: 'load', from: { deployment: 'fortio-deploy', container: 'fortio' }, host: 'httpbin:8000', path: '/get', concurrency: 3, requests: 30, expect: { status: { '503': { min: 5 }, '200': { min: 5 } } } });
const curlLoad = parseCheck({ kind: 'load', from: { deployment: 'curl', container: 'curl' }, host: 'httpbin:8000', path: '/delay/0.1', concurrency: 3, requests: 30, expect: { status: { '503': { min: 5 } }, headers: { 'x-envoy-overloaded': { min: 5, equals: 'true' } } } });
const ingressLoad = parseCheck({ kind: 'load', path: '/delay/0.1', concurrency: 3, requests: 30, expect: { status: { '503': { min: 5 } }, headers: { 'x-envoy-overloaded': { min: 5, equals: 'true' } } } });
const overflowed = (counters: Record<string, unknown>, deployment = 'fortio-deploy') => parseCheck({ kind: 'envoy-stats', deployment, counters });

describe('load, envoy-stats and latency probes on the sandbox mesh: verdicts and failure messages', () => {
  let mesh: MeshSandbox;

  before(async () => {
    mesh = await startMeshSandbox();
    for (const f of ['manifests/samples/httpbin.yaml', 'manifests/samples/fortio.yaml', 'manifests/samples/curl.yaml', INGRESS]) await mesh.apply(f);
    for (const app of ['httpbin', 'fortio', 'curl']) await mesh.ready('default', `app=${app}`);
    await eventually(async () => (await httpProbe(parseCheck({ kind: 'http', path: '/get' }), mesh.ctx())).ok, 10000, 100);
  });
  after(async () => {
    await mesh?.dispose();
  });

  it('without connection-pool limits, concurrent load gets no 503, and the overflow counter stays at 0', async () => {
    const fortio = await loadProbe(fortioLoad, mesh.ctx());
    assert.equal(fortio.ok, false);
    assert.match(fortio.message, /^503 on 0\.0 % \[0\.0–[\d.]+\] of responses, expected 5–100 % \(30 requests at concurrency 3 in .* from fortio in pod default\/fortio-deploy-[\w-]+: 200 100\.0 %; p50/);
    const curl = await loadProbe(curlLoad, mesh.ctx());
    assert.equal(curl.ok, false);
    assert.match(curl.message, /^503 on 0\.0 % .*; header x-envoy-overloaded: true on 0\.0 % \[0\.0–[\d.]+\] of responses, expected 5–100 % \(30 requests at concurrency 3 .* from curl in pod default\/curl-[\w-]+: 200 100\.0 %; x-envoy-overloaded on 0\.0 %/);
    const ingress = await loadProbe(ingressLoad, mesh.ctx());
    assert.equal(ingress.ok, false);
    assert.match(ingress.message, /^503 on 0\.0 % .* from ingress 127\.0\.0\.1:\d+ \(NodePort\): 200 100\.0 %/);
    const stats = await envoyStatsProbe(overflowed({ [OVERFLOW]: { gt: 0 } }), mesh.ctx());
    assert.equal(stats.ok, false);
    assert.match(stats.message, /upstream_rq_pending_overflow is 0( \(no such stat; counted as 0\))?, expected > 0 in istio-proxy of deployment\/fortio-deploy \(1 pod\)$/);
  });

  it('with the DestinationRule limits, load overflows: 503 with x-envoy-overloaded from fortio, curl and the ingress, counted by Envoy', async () => {
    await mesh.apply(LIMITS);
    const fortio = await eventually(async () => {
      const r = await loadProbe(fortioLoad, mesh.ctx());
      return r.ok ? r : undefined;
    }, 10000, 100);
    assert.match(fortio.message, /^30 requests at concurrency 3 in .* from fortio in pod default\/fortio-deploy-[\w-]+: 200 \d+\.\d %, 503 \d+\.\d %; p50/);
    const curl = await loadProbe(curlLoad, mesh.ctx());
    assert.equal(curl.ok, true, curl.message);
    assert.match(curl.message, /from curl in pod .*: 200 \d+\.\d %, 503 \d+\.\d %; x-envoy-overloaded on \d+\.\d %/);
    const ingress = await loadProbe(ingressLoad, mesh.ctx());
    assert.equal(ingress.ok, true, ingress.message);
    const stats = await envoyStatsProbe(overflowed({ [OVERFLOW]: { gt: 0 } }), mesh.ctx());
    assert.equal(stats.ok, true, stats.message);
    assert.match(stats.message, /^cluster\.outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local\.upstream_rq_pending_overflow=[1-9]\d* in istio-proxy of deployment\/fortio-deploy \(1 pod\)$/);
    const none = await envoyStatsProbe(overflowed({ upstream_rq_pending_overflow: { eq: 0 } }), mesh.ctx());
    assert.equal(none.ok, false, 'the short name sums every cluster\'s counter');
    assert.match(none.message, /^upstream_rq_pending_overflow is [1-9]\d*, expected = 0/);
    assert.ok((none.observed as Record<string, number>).upstream_rq_pending_overflow > 0);
    await mesh.sb.kubectl(['delete', 'destinationrule', 'httpbin']);
  });

  it('latency: a 500 ms fault delay on half the requests passes "50 % slower than 500ms"; without the fault the check fails with the shares seen', async () => {
    const check = parseCheck({ kind: 'latency', from: { deployment: 'curl', container: 'curl' }, host: 'httpbin:8000', path: '/get', requests: 40, expect: { slowerThan: '500ms', proportion: 50 } });
    const missing = await latencyProbe(check, mesh.ctx());
    assert.equal(missing.ok, false);
    assert.match(missing.message, /^slower than 500ms 0\.0 % \[0\.0–[\d.]+\] \(expected 50 %\); after \d+ requests \(sequential test\); p50 \d+ ms, p90 \d+ ms, p99 \d+ ms, max \d+ ms from pod default\/curl-[\w-]+ \(container curl\)$/);
    assert.ok(((missing.observed as any).samples as { latencyMs: number }[]).every((s) => s.latencyMs < 500));

    await mesh.apply(DELAY_HALF);
    const delayed = await eventually(async () => {
      const r = await latencyProbe(check, mesh.ctx());
      return r.ok ? r : undefined;
    }, 15000, 100);
    const m = /^slower than 500ms (\d+\.\d) % \[[\d.]+–[\d.]+\] \(expected 50 %\) after \d+ requests \((?:sequential test|exact test at the request cap)\); p50 .* max (\d+(?:\.\d+)?) (ms|s) from pod default\/curl-/.exec(delayed.message);
    assert.ok(m, delayed.message);
    assert.ok(Number(m[1]) > 20 && Number(m[1]) < 80, delayed.message);
    assert.ok(m[3] === 's' || Number(m[2]) >= 500, 'the slowest request waited out the delay');
    await mesh.deleteIstio('VirtualService', 'httpbin');
  });
});
