// Issue 6 acceptance for the probes that observe the cluster, against the sandbox: resource and absent
// (a DestinationRule with and without subset v2, the mirror VirtualService), pods (READY 2/2 with
// istio-proxy, and a pod outside the mesh), logs (requests mirrored to httpbin v2, §2, and none
// without the mirror) and command (kubectl runs against the sandbox; istioctl, when not installed,
// is skipped with the reason). Correct configs pass; wrong ones fail saying what was observed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { absentProbe, resourceProbe } from '../../src/probes/resource.js';
import { podsProbe } from '../../src/probes/pods.js';
import { logsProbe } from '../../src/probes/logs.js';
import { trafficProbe } from '../../src/probes/traffic.js';
import { commandProbe } from '../../src/probes/command.js';
import { runCheck } from '../../src/runner/check.js';
import { eventually, hasKubectl } from '../helpers/sandbox.js';
import { startMeshSandbox, type MeshSandbox } from '../helpers/mesh-sandbox.js';
import { parseCheck } from './helpers.js';

const NS = 'mirroring';
const DIR = 'labs/core/traffic-mirroring';
const DR_V1_ONLY = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin }
spec:
  host: httpbin
  subsets: [{ name: v1, labels: { version: v1 } }]
`;
const hasIstioctl = await import('../../src/process/index.js').then(async (p) => !(await p.runProgram('istioctl', ['version', '--remote=false'], { timeoutMs: 10000 })).missing);

const drSubsets = parseCheck({ kind: 'resource', target: { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', name: 'httpbin' }, match: { spec: { subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } } });
const mirrorVs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'httpbin' };
/** Requests from the curl pod in `default` to httpbin.mirroring, all answered by v1. */
const allFromV1 = parseCheck({ kind: 'traffic', from: { deployment: 'curl', container: 'curl', namespace: 'default' }, host: 'httpbin.mirroring:8000', path: '/hostname', classify: { by: 'jsonPath', path: '$.hostname', buckets: { v1: '^httpbin-v1-', v2: '^httpbin-v2-' } }, expect: { split: { v1: 100 } } });
const mirroredToV2 = parseCheck({ kind: 'logs', deployment: 'httpbin-v2', container: 'httpbin', count: { pattern: 'method="?GET"? uri="?/hostname', min: 5 } });

describe('resource, absent, pods, logs and command probes on the sandbox: verdicts and failure messages', () => {
  let mesh: MeshSandbox;

  before(async () => {
    mesh = await startMeshSandbox({ [NS]: true, legacy: false });
    for (const f of [`${DIR}/httpbin-versions.yaml`, `${DIR}/destination-rule.yaml`, `${DIR}/vs-all-v1.yaml`]) await mesh.apply(f, NS);
    await mesh.apply('manifests/samples/curl.yaml');
    await mesh.apply('manifests/samples/curl.yaml', 'legacy');
    await mesh.ready(NS, 'app=httpbin', 2);
    await mesh.ready('default', 'app=curl');
    await mesh.ready('legacy', 'app=curl');
  });
  after(async () => {
    await mesh?.dispose();
  });

  it('resource: the DestinationRule defines subsets v1 and v2; without v2 the failure names the missing subset', async () => {
    const ok = await resourceProbe(drSubsets, mesh.ctx(NS));
    assert.equal(ok.ok, true, ok.message);
    assert.equal(ok.message, 'DestinationRule/httpbin matches');
    await mesh.apply(DR_V1_ONLY, NS);
    const missing = await resourceProbe(drSubsets, mesh.ctx(NS));
    assert.equal(missing.ok, false);
    assert.equal(missing.message, 'DestinationRule/httpbin does not match: .spec.subsets[1]: no element matches {"name":"v2","labels":{"version":"v2"}}');
    const count = await resourceProbe(parseCheck({ kind: 'resource', target: { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' }, match: { spec: { host: 'httpbin' } }, count: 2 }), mesh.ctx(NS));
    assert.equal(count.ok, false);
    assert.equal(count.message, '1 of 1 DestinationRule objects match (expected 2)');
    await mesh.apply(`${DIR}/destination-rule.yaml`, NS);
  });

  it('absent: a VirtualService that was never created is absent; the route that exists fails with "still exists"', async () => {
    const present = await absentProbe(parseCheck({ kind: 'absent', target: mirrorVs }), mesh.ctx(NS));
    assert.deepEqual(present, { ok: false, message: 'VirtualService/httpbin still exists' });
    const gone = await absentProbe(parseCheck({ kind: 'absent', target: { ...mirrorVs, name: 'reviews' } }), mesh.ctx(NS));
    assert.deepEqual(gone, { ok: true, message: 'VirtualService/reviews is absent' });
  });

  it('pods: httpbin v1 runs READY 2/2 with istio-proxy; the curl pod outside the mesh fails with what it has', async () => {
    const meshed = await podsProbe(parseCheck({ kind: 'pods', selector: { app: 'httpbin', version: 'v1' }, ready: 1, containers: ['httpbin', 'istio-proxy'], readyContainers: 2 }), mesh.ctx(NS));
    assert.equal(meshed.ok, true, meshed.message);
    assert.equal(meshed.message, '1 pods ready with httpbin, istio-proxy');
    const legacy = await podsProbe(parseCheck({ kind: 'pods', selector: { app: 'curl' }, ready: 1, containers: ['curl', 'istio-proxy'], readyContainers: 2 }), mesh.ctx('legacy'));
    assert.equal(legacy.ok, false);
    assert.match(legacy.message, /^curl-[\w-]+ has no istio-proxy container \(has curl\); curl-[\w-]+ READY 1\/1 \(expected 2\/2\)$/);
  });

  it('logs (§2): without a mirror v2 logs no request; with the mirror v2 logs every request while clients still get v1', async () => {
    const before = new Date();
    const sent = await trafficProbe(allFromV1, mesh.ctx(NS));
    assert.equal(sent.ok, true, sent.message);
    const none = await logsProbe(mirroredToV2, mesh.ctx(NS, before));
    assert.equal(none.ok, false);
    assert.match(none.message, /^0 lines match \/method="\?GET"\? uri="\?\/hostname\/, expected at least 5 in \d+ log lines of deployment\/httpbin-v2 \(1 pod\) since /);

    await mesh.apply(`${DIR}/vs-mirror.yaml`, NS);
    await eventually(async () => {
      const start = new Date();
      const r = await trafficProbe(allFromV1, mesh.ctx(NS));
      assert.equal(r.ok, true, `clients still only get v1: ${r.message}`);
      return (await logsProbe(mirroredToV2, mesh.ctx(NS, start))).ok;
    }, 10000, 100);
    const mirrored = await logsProbe(mirroredToV2, mesh.ctx(NS, before));
    assert.match(mirrored.message, /^\d+ lines match \/method="\?GET"\? uri="\?\/hostname\/ in \d+ log lines of deployment\/httpbin-v2 \(1 pod\)/);
  });

  it('command: kubectl runs against the sandbox; istioctl, when it is not installed, is skipped with the reason', { skip: !hasKubectl && 'kubectl is not installed' }, async () => {
    const subsets = (want: string) => parseCheck({ kind: 'command', program: 'kubectl', args: ['get', 'destinationrule', 'httpbin', '-n', NS, '-o', 'jsonpath={.spec.subsets[*].name}'], expect: { stdoutContains: want } });
    const ok = await commandProbe(subsets('v2'), mesh.ctx(NS));
    assert.equal(ok.ok, true, ok.message);
    assert.match(ok.message, /^kubectl get destinationrule httpbin .*: exit 0, v1 v2$/);
    const wrong = await commandProbe(subsets('v3'), mesh.ctx(NS));
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /: stdout does not contain "v3"$/);
    const missingObject = await commandProbe(parseCheck({ kind: 'command', program: 'kubectl', args: ['get', 'virtualservice', 'reviews', '-n', NS] }), mesh.ctx(NS));
    assert.match(missingObject.message, /: exit code 1, expected 0 \(Error from server \(NotFound\): virtualservices\.networking\.istio\.io "reviews" not found\)$/);

    const analyze = await runCheck(parseCheck({ kind: 'command', program: 'istioctl', args: ['analyze', '-n', NS] }), mesh.ctx(NS));
    if (hasIstioctl) assert.notEqual(analyze.status, 'skipped', analyze.message);
    else assert.deepEqual([analyze.status, analyze.message, analyze.attempts], ['skipped', 'istioctl is not installed (not on PATH)', 1]);
  });
});
