// Issue 6 acceptance for the http and traffic probes against the sandbox mesh (not fakes): helloworld
// v1/v2 behind the ingress gateway and called from the curl pod. A correct config passes; a wrong one
// fails with a message that says what was observed — the 50/50 split with confidence intervals and
// the requests used (§1.7), the 503s of a subset no DestinationRule defines (§1.8), the reset of a
// gateway without a Gateway listener (§6) — and the step's report carries the VirtualService,
// DestinationRule and the sending sidecar's access log.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { httpProbe } from '../../src/probes/http.js';
import { trafficProbe } from '../../src/probes/traffic.js';
import { runStep } from '../../src/runner/run-step.js';
import { collectCheckDiagnostics } from '../../src/runner/check-diagnostics.js';
import type { RunEvent } from '../../src/runner/events.js';
import { eventually } from '../helpers/sandbox.js';
import { startMeshSandbox, type MeshSandbox } from '../helpers/mesh-sandbox.js';
import { parseCheck } from './helpers.js';

const GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: hello-gateway }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
`;
const DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: helloworld }
spec:
  host: helloworld
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
`;
/** The gateway's route to helloworld with weights v1/v2. */
const ingressRoute = (v1: number, v2: number) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: hello-ingress }
spec:
  hosts: ["*"]
  gateways: [hello-gateway]
  http:
  - match: [{ uri: { prefix: /hello } }]
    route:
    - { destination: { host: helloworld, subset: v1 }, weight: ${v1} }
    - { destination: { host: helloworld, subset: v2 }, weight: ${v2} }
`;
/** The mesh route to helloworld's subset v3, which the DestinationRule does not define. */
const MESH_ROUTE_V3 = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: helloworld }
spec:
  hosts: [helloworld]
  http: [{ route: [{ destination: { host: helloworld, subset: v3 } }] }]
`;

const classify = { by: 'bodyRegex', pattern: 'Hello version: (v\\d)' };
const split7525 = (extra: Record<string, unknown> = {}) => parseCheck({ kind: 'traffic', path: '/hello', classify, expect: { split: { v1: 75, v2: 25 } }, ...extra });
const fromCurl = { deployment: 'curl', container: 'curl' };

describe('http and traffic probes on the sandbox mesh: verdicts and failure messages', () => {
  let mesh: MeshSandbox;

  before(async () => {
    mesh = await startMeshSandbox();
    for (const f of ['manifests/samples/helloworld.yaml', 'manifests/samples/curl.yaml', GATEWAY, DR, ingressRoute(75, 25)]) await mesh.apply(f);
    await mesh.ready('default', 'app=helloworld', 2);
    await mesh.ready('default', 'app=curl');
    await eventually(async () => (await httpProbe(parseCheck({ kind: 'http', path: '/hello' }), mesh.ctx())).ok, 10000, 100);
  });
  after(async () => {
    await mesh?.dispose();
  });

  it('http from the ingress: 200 with the hello body; without a Gateway the gateway resets the connection (§6)', async () => {
    const hello = parseCheck({ kind: 'http', path: '/hello', expect: { bodyRegex: '^Hello version: v[12], instance: helloworld-v[12]-' } });
    const ok = await httpProbe(hello, mesh.ctx());
    assert.equal(ok.ok, true, ok.message);
    assert.match(ok.message, /^200 in \d+ ms \(GET \/hello from ingress 127\.0\.0\.1:\d+ \(NodePort\)\)$/);

    await mesh.deleteIstio('Gateway', 'hello-gateway');
    const reset = parseCheck({ kind: 'http', path: '/hello', expect: { transportError: 'reset' } });
    const expected = await eventually(async () => {
      const r = await httpProbe(reset, mesh.ctx());
      return r.ok ? r : undefined;
    }, 10000, 100);
    assert.match(expected.message, /^no HTTP response, as expected: connection reset \(ECONNRESET, socket hang up\) after \d+ ms/);
    const failed = await httpProbe(hello, mesh.ctx());
    assert.equal(failed.ok, false);
    assert.match(failed.message, /^no HTTP response: connection reset \(ECONNRESET, socket hang up\) \(GET \/hello from ingress/);
    const refusedExpected = await httpProbe(parseCheck({ kind: 'http', path: '/hello', expect: { transportError: 'refused' } }), mesh.ctx());
    assert.match(refusedExpected.message, /^no HTTP response, but connection reset \(ECONNRESET, socket hang up\); expected connection refused/);

    await mesh.apply(GATEWAY);
    await eventually(async () => (await httpProbe(hello, mesh.ctx())).ok, 10000, 100);
    const nowServed = await httpProbe(reset, mesh.ctx());
    assert.equal(nowServed.ok, false);
    assert.match(nowServed.message, /^got HTTP 200 \("Hello version: v[12].*"\), expected no HTTP response: connection reset or closed/);
  });

  it('traffic from the ingress: the 75/25 VirtualService passes a 75/25 split check', async () => {
    const r = await trafficProbe(split7525(), mesh.ctx());
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /^split holds: v1 \d+\.\d % \[[\d.]+–[\d.]+\] \(expected 75 %\), v2 \d+\.\d % \[[\d.]+–[\d.]+\] \(expected 25 %\) after \d+ requests \(sequential test\) from ingress/);
  });

  it('traffic from the ingress: 50/50 weights fail the 75/25 check, naming the observed shares with intervals and the requests used', async () => {
    const started = new Date();
    await mesh.apply(ingressRoute(50, 50));
    const check = split7525();
    const r = await eventually(async () => {
      const res = await trafficProbe(check, mesh.ctx());
      return res.ok ? undefined : res;
    }, 15000, 100);
    const m = /^split is off in (v1 and v2|v1|v2): v1 (\d+\.\d) % \[([\d.]+)–([\d.]+)\] \(expected 75 %\), v2 (\d+\.\d) % \[[\d.]+–[\d.]+\] \(expected 25 %\) after (\d+) requests \((sequential test|exact test at the request cap)\) from ingress/.exec(r.message);
    assert.ok(m, r.message);
    assert.ok(Number(m[3]) < 75 && Number(m[4]) > 30 && Number(m[4]) < 75, `the interval for v1 excludes 75 % and covers about 50 %: ${r.message}`);
    assert.ok(Number(m[6]) >= 20 && Number(m[6]) <= 1000, 'the number of requests used');
    assert.doesNotMatch(r.message, /statuses:/, 'every response was a 200');
    const observed = r.observed as { requests: number; samples: { bucket: string; status: number }[] };
    assert.equal(observed.requests, Number(m[6]));
    assert.deepEqual(observed.samples.map((s) => s.status), [200, 200]);
    const d = await collectCheckDiagnostics(mesh.ctx('default', started), [check]);
    assert.match(d, /^VirtualService default\/hello-ingress:\n(.*\n)*? +- \{destination: \{host: helloworld, subset: v1\}, weight: 50\}\n +- \{destination: \{host: helloworld, subset: v2\}, weight: 50\}$/m);
    assert.match(d, /^Gateway default\/hello-gateway:$/m);
    assert.match(d, /^istio-proxy log of istio-system\/istio-ingressgateway-[\w-]+ \(ingress gateway\), last 5 lines since the step began:\n\s+\[[^\]]+\] "GET \/hello HTTP\/1\.1" 200 /m);
    await mesh.apply(ingressRoute(75, 25));
  });

  it('from the curl pod, a VirtualService subset no DestinationRule defines gives 503s (NC, §1.8), and the failures say so', async () => {
    const hello = parseCheck({ kind: 'http', from: fromCurl, host: 'helloworld:5000', path: '/hello' });
    const before = await httpProbe(hello, mesh.ctx());
    assert.equal(before.ok, true, before.message);
    assert.match(before.message, /^200 in \d+ ms \(GET helloworld:5000\/hello from pod default\/curl-[\w-]+ \(container curl\)\)$/);

    await mesh.apply(MESH_ROUTE_V3);
    const http = await eventually(async () => {
      const r = await httpProbe(hello, mesh.ctx());
      return r.ok ? undefined : r;
    }, 10000, 100);
    assert.match(http.message, /^status 503, expected 200 \(GET helloworld:5000\/hello from pod default\/curl-/);
    assert.equal((http.observed as any).response.status, 503);

    const traffic = await trafficProbe(split7525({ from: fromCurl, host: 'helloworld:5000' }), mesh.ctx());
    assert.equal(traffic.ok, false);
    // A split is exhaustive: one response outside v1/v2 already contradicts it.
    assert.match(traffic.message, /^split is off in unexpected buckets: v1 0\.0 % \[0\.0–[\d.]+\] \(expected 75 %\), v2 0\.0 % \[0\.0–[\d.]+\] \(expected 25 %\), other 100\.0 % \[[\d.]+–100\.0\] \(expected 0 %\) after \d+ requests? \(sequential test\) from pod default\/curl-[\w-]+ \(container curl\); statuses: 503 ×\d+$/);
    const samples = (traffic.observed as any).samples as { bucket: string; status: number; body?: string }[];
    assert.deepEqual(samples.map((s) => [s.bucket, s.status, s.body]), [['other', 503, undefined]], 'the sample shows the empty-bodied 503');
  });

  it('a failed step carries the hint, the VirtualService and DestinationRule, and the curl sidecar\'s NC access log', async () => {
    const check = split7525({ name: 'v1 gets 75 %', from: fromCurl, host: 'helloworld:5000', eventually: { timeout: '2s' } });
    const events: RunEvent[] = [];
    await new Promise((r) => setTimeout(r, 1010 - (Date.now() % 1000))); // logs since the step began are read at whole seconds
    const ctx = { ...mesh.ctx(), emit: (e: RunEvent) => void events.push(e), step: { name: 'split', title: 'Split', hint: 'define subsets v1 and v2 in a DestinationRule', actions: [], wait: [], checks: [check] } as any };
    const status = await runStep(ctx, 0, { apply: false, prove: false });
    assert.equal(status, 'failed');
    const end = events.find((e) => e.type === 'step-end') as Extract<RunEvent, { type: 'step-end' }>;
    assert.equal(end.hint, 'define subsets v1 and v2 in a DestinationRule');
    const d = end.diagnostics ?? '';
    const vs = ['VirtualService default/helloworld:', '  hosts:', '    - helloworld', '  http:', '    - route:', '        - {destination: {host: helloworld, subset: v3}}'];
    const dr = ['DestinationRule default/helloworld:', '  host: helloworld', '  subsets:', '    - name: v1', '      labels:', '        version: v1', '    - name: v2'];
    assert.ok(d.includes(vs.join('\n')) && d.includes(dr.join('\n')), d);
    assert.doesNotMatch(d, /hello-ingress/, 'the gateway route does not serve the checked host');
    assert.match(d, /^istio-proxy log of default\/curl-[\w-]+ \(sender\), last \d lines since the step began:\n\s+\[[^\]]+\] "GET \/hello HTTP\/1\.1" 503 NC cluster_not_found .* outbound\|5000\|v3\|helloworld\.default\.svc\.cluster\.local /m);
    assert.match(d, /^istio-proxy log of default\/helloworld-v[12]-[\w-]+ \(helloworld \(called\)\): no lines since the step began$/m, 'no request reached helloworld');
    await mesh.deleteIstio('VirtualService', 'helloworld');
  });
});
