// The http check's `transportError` expectation against the sandbox mesh, from pods (curl's exit
// code): STRICT mTLS resets a plaintext client (curl 56, §8), REGISTRY_ONLY fails an https handshake
// (curl 35, §9), an unknown name does not resolve (curl 6); each passes when the failure is the one
// expected and fails, saying what came instead, when it is not. And the check's timeout bounds
// exec-based probes: a request that hangs (httpbin /delay/10, §11.1) ends the check near its 2 s
// timeout instead of waiting out curl's 30 s or a 160 s exec.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { httpProbe } from '../../src/probes/http.js';
import { runCheck } from '../../src/runner/check.js';
import { eventually } from '../helpers/sandbox.js';
import { startMeshSandbox, type MeshSandbox } from '../helpers/mesh-sandbox.js';
import { parseCheck } from './helpers.js';

const STRICT = 'labs/core/mtls/peer-authentication.yaml';
const REGISTRY_ONLY = 'labs/core/egress/sidecar-registry-only.yaml';
const legacyCurl = { deployment: 'curl', container: 'curl', namespace: 'legacy' };
const egressCurl = { deployment: 'curl', container: 'curl', namespace: 'egress' };
const meshCurl = { deployment: 'curl', container: 'curl' };

describe('http transportError and check budgets on the sandbox mesh', () => {
  let mesh: MeshSandbox;

  before(async () => {
    mesh = await startMeshSandbox({ legacy: false, egress: true });
    for (const f of ['manifests/samples/httpbin.yaml', 'manifests/samples/curl.yaml']) await mesh.apply(f);
    for (const ns of ['legacy', 'egress']) await mesh.apply('manifests/samples/curl.yaml', ns);
    await mesh.ready('default', 'app=httpbin');
    for (const ns of ['default', 'legacy', 'egress']) await mesh.ready(ns, 'app=curl');
  });
  after(async () => {
    await mesh?.dispose();
  });

  it('§8 STRICT mTLS: a plaintext client gets a reset (curl 56); before STRICT the same expectation fails with the 200 it got', async () => {
    const reset = parseCheck({ kind: 'http', from: legacyCurl, host: 'httpbin.default:8000', path: '/headers', expect: { transportError: { reason: 'reset', curlExitCode: 56 } } });
    const permissive = await httpProbe(reset, mesh.ctx());
    assert.equal(permissive.ok, false);
    assert.match(permissive.message, /^got HTTP 200 \("\{.*"\), expected no HTTP response: connection reset or closed \(curl exit code 56\) \(GET httpbin\.default:8000\/headers from pod legacy\/curl-[\w-]+ \(container curl\)\)$/);

    await mesh.apply(STRICT);
    const strict = await eventually(async () => {
      const r = await httpProbe(reset, mesh.ctx());
      return r.ok ? r : undefined;
    }, 10000, 100);
    assert.match(strict.message, /^no HTTP response, as expected: connection reset \(curl 56\) after \d+ ms \(GET httpbin\.default:8000\/headers from pod legacy\/curl-/);
    const wanted200 = await httpProbe(parseCheck({ kind: 'http', from: legacyCurl, host: 'httpbin.default:8000', path: '/headers' }), mesh.ctx());
    assert.match(wanted200.message, /^no HTTP response: connection reset \(curl 56\) \(GET/);
    const wrongCode = await httpProbe(parseCheck({ kind: 'http', from: legacyCurl, host: 'httpbin.default:8000', path: '/headers', expect: { transportError: { curlExitCode: 52 } } }), mesh.ctx());
    assert.match(wrongCode.message, /^no HTTP response, but connection reset \(curl 56\); expected curl exit code 52 \(/);
    const meshClient = await httpProbe(parseCheck({ kind: 'http', from: meshCurl, host: 'httpbin.default:8000', path: '/headers', expect: { transportError: 'reset' } }), mesh.ctx());
    assert.match(meshClient.message, /^got HTTP 200 .*expected no HTTP response: connection reset or closed \(GET httpbin\.default:8000\/headers from pod default\/curl-/, 'sidecar clients still get 200 (auto mTLS)');
    await mesh.sb.kubectl(['delete', 'peerauthentication', 'default']);
  });

  it('§9 REGISTRY_ONLY: https to an outside host fails the handshake (curl 35); allowed, it answers', async () => {
    const tls = parseCheck({ kind: 'http', from: egressCurl, scheme: 'https', host: 'www.google.com', path: '/', expect: { transportError: 'tls' } });
    const allowAny = await httpProbe(tls, mesh.ctx());
    assert.equal(allowAny.ok, false);
    assert.match(allowAny.message, /^got HTTP \d{3}.*expected no HTTP response: a TLS handshake failure \(GET https:\/\/www\.google\.com\/ from pod egress\/curl-/);

    await mesh.apply(REGISTRY_ONLY, 'egress');
    const blocked = await eventually(async () => {
      const r = await httpProbe(tls, mesh.ctx());
      return r.ok ? r : undefined;
    }, 10000, 100);
    assert.match(blocked.message, /^no HTTP response, as expected: TLS handshake failed \(curl 35\) after \d+ ms \(GET https:\/\/www\.google\.com\/ from pod egress\/curl-/);
    const asReset = await httpProbe(parseCheck({ kind: 'http', from: egressCurl, scheme: 'https', host: 'www.google.com', path: '/', expect: { transportError: 'reset' } }), mesh.ctx());
    assert.match(asReset.message, /^no HTTP response, but TLS handshake failed \(curl 35\); expected connection reset or closed/);
  });

  it('§9 an unknown name does not resolve (curl 6)', async () => {
    const dns = await httpProbe(parseCheck({ kind: 'http', from: meshCurl, host: 'no-such-service.invalid', path: '/', expect: { transportError: 'dns' } }), mesh.ctx());
    assert.equal(dns.ok, true, dns.message);
    assert.match(dns.message, /^no HTTP response, as expected: could not resolve host \(curl 6\)/);
  });

  it('a request that hangs ends at the check\'s 2 s timeout, for http, latency and traffic from a pod and fortio load', async () => {
    const hanging = { from: meshCurl, host: 'httpbin:8000', path: '/delay/10', eventually: { timeout: '2s' } };
    const checks = [
      parseCheck({ kind: 'http', ...hanging }),
      parseCheck({ kind: 'latency', ...hanging, requests: 10, expect: { fasterThan: '1s' } }),
      parseCheck({ kind: 'traffic', ...hanging, classify: { by: 'status' }, expect: { split: { '200': 100 } } }),
      parseCheck({ kind: 'load', ...hanging, from: { ...meshCurl, deployment: 'fortio-deploy', container: 'fortio' }, requests: 4, concurrency: 2, expect: { status: { '200': { min: 100 } } } }),
    ];
    await mesh.apply('manifests/samples/fortio.yaml');
    await mesh.ready('default', 'app=fortio');
    const outcomes = await Promise.all(checks.map((c) => runCheck(c, mesh.ctx())));
    for (const o of outcomes) {
      assert.equal(o.status, 'failed', `${o.kind}: ${o.message}`);
      assert.ok(o.durationMs >= 1500 && o.durationMs < 3500, `${o.kind} ended ${o.durationMs} ms after it began (timeout 2 s): ${o.message}`);
    }
    const [http, latency, traffic, load] = outcomes;
    assert.match(http.message, /^no HTTP response: timed out \(curl 28\) \(GET httpbin:8000\/delay\/10 from pod default\/curl-/, "curl's -m was cut to the time left");
    assert.match(latency.message, /^faster than 1s 0\.0 % .*; \d+ without a response from pod default\/curl-/);
    assert.match(traffic.message, /, 000 100\.0 % .*; statuses: no response ×\d+$/);
    assert.match(load.message, /^fortio in default\/fortio-deploy-[\w-]+ had not finished when the check's timeout ran out/);
  });
});
