import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDoctorJson, formatDoctorText, readImageVersion, redactServer, reportConnectionFailure, runDoctor } from '../../src/doctor/index.js';
import type { DoctorReport } from '../../src/doctor/index.js';
import type { KubeObject } from '../../src/cluster/types.js';
import { createFakeCluster } from './fake-cluster.js';
import { buildGatewayPod, buildGatewayService, buildIstioCrds, buildIstiod, buildNamespace, buildNode } from './objects.js';

const findExecutable = async (name: string) => (name === 'kubectl' ? '/usr/local/bin/kubectl' : undefined);

/** Status and name of each check, e.g. "ok istio". */
function statuses(report: DoctorReport): string[] {
  return report.checks.map((c) => `${c.status} ${c.id}`);
}

function summaryOf(report: DoctorReport, id: string): string {
  return report.checks.find((c) => c.id === id)?.summary ?? '';
}

/** A cluster with Istio installed and ready, plus extra objects. */
function buildMesh(...extra: KubeObject[]): KubeObject[] {
  return [buildIstiod(), ...buildIstioCrds(), buildNamespace('default', { 'istio-injection': 'enabled' }), buildNamespace('kube-system'), ...extra];
}

describe('runDoctor', () => {
  it('reports a ready mesh behind a LoadBalancer, one check per line, with the ingress exports', async () => {
    const cluster = createFakeCluster({ objects: buildMesh(buildGatewayService('LoadBalancer', [{ ip: '172.18.255.200' }])) });
    const report = await runDoctor(cluster, { findExecutable });
    assert.equal(report.outcome, 'ok');
    assert.equal(
      formatDoctorText(report),
      [
        '  ok    context   "kind-lab" at https://127.0.0.1:6443 (namespace default, local/disposable)',
        '  ok    cluster   reachable, Kubernetes v1.30.0',
        '  info  sandbox   no: a cluster from your kubeconfig',
        '  ok    istio     istiod 1.22.3 ready (1/1) in istio-system',
        '  ok    CRDs      4 Istio CRDs present',
        '                  virtualservices.networking.istio.io: v1, v1beta1, v1alpha3',
        '                  destinationrules.networking.istio.io: v1, v1beta1, v1alpha3',
        '                  gateways.networking.istio.io: v1, v1beta1, v1alpha3',
        '                  peerauthentications.security.istio.io: v1, v1beta1',
        '  ok    injection default (istio-injection=enabled)',
        '  ok    ingress   LoadBalancer istio-system/istio-ingressgateway → 172.18.255.200:80',
        '  info  kubectl   /usr/local/bin/kubectl',
        '  info  istioctl  not on PATH (optional; needed only by labs with istioctl command checks)',
        '',
        "Ingress gateway (as istio.io's ingress tasks set it):",
        '  export INGRESS_NAME=istio-ingressgateway',
        '  export INGRESS_NS=istio-system',
        '  export INGRESS_HOST=172.18.255.200',
        '  export INGRESS_PORT=80',
        '  export SECURE_INGRESS_PORT=443',
        '  export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT',
        '',
        '6 ok, 0 warnings, 0 failed',
        '',
      ].join('\n'),
    );
  });

  it('resolves a NodePort address on a node when there is no LoadBalancer', async () => {
    const objects = buildMesh(buildGatewayService('NodePort'), buildNode('kind-worker', { InternalIP: '172.18.0.3' }), buildGatewayPod('istio-ingressgateway-7d9f', 'kind-worker'));
    const report = await runDoctor(createFakeCluster({ objects }), { findExecutable });
    assert.equal(report.outcome, 'ok');
    assert.equal(summaryOf(report, 'ingress'), 'NodePort istio-system/istio-ingressgateway → 172.18.0.3:31380');
    assert.deepEqual([report.ingress?.host, report.ingress?.port, report.ingress?.securePort], ['172.18.0.3', 31380, 31390]);
  });

  it('falls back to a port-forward (a warning) when Nodes cannot be listed and the service is ClusterIP', async () => {
    const objects = buildMesh(buildGatewayService('ClusterIP'), buildGatewayPod('istio-ingressgateway-7d9f', 'n1'));
    const report = await runDoctor(createFakeCluster({ objects, listErrors: { Node: Object.assign(new Error('forbidden'), { status: 403 }) } }), { findExecutable });
    const ingress = report.checks.find((c) => c.id === 'ingress');
    assert.equal(ingress?.status, 'warn');
    assert.equal(ingress?.fix, 'run `kubectl -n istio-system port-forward pod/istio-ingressgateway-7d9f 8080:8080` while the labs run');
    assert.equal(report.outcome, 'ok');
  });

  it('fails when Istio is not installed', async () => {
    const report = await runDoctor(createFakeCluster({ objects: [buildNamespace('default')] }), { findExecutable });
    assert.equal(report.outcome, 'failed');
    assert.deepEqual(statuses(report), ['ok context', 'ok cluster', 'info sandbox', 'fail istio', 'fail crds', 'warn injection', 'warn ingress', 'info kubectl', 'info istioctl']);
    assert.equal(summaryOf(report, 'istio'), 'Istio is not installed: no istiod Deployment in istio-system');
    assert.match(report.checks.find((c) => c.id === 'istio')?.fix ?? '', /istioctl install .* --sandbox/);
    assert.equal(report.ingress, undefined);
  });

  it('fails when istiod is not ready and reports every revision', async () => {
    const objects = [
      buildIstiod({ ready: 0 }),
      buildIstiod({ name: 'istiod-canary', image: 'gcr.io/istio-release/pilot:1.23.0-distroless', labels: { 'istio.io/rev': 'canary' } }),
      ...buildIstioCrds(),
    ];
    const report = await runDoctor(createFakeCluster({ objects }), { findExecutable });
    assert.equal(summaryOf(report, 'istio'), 'istiod 1.22.3 not ready (0/1); istiod-canary 1.23.0 ready (1/1) in istio-system');
    assert.equal(report.checks.find((c) => c.id === 'istio')?.status, 'fail');
    assert.equal(report.outcome, 'failed');
  });

  it('warns when networking.istio.io/v1 is not served (Istio older than 1.22)', async () => {
    const crds = buildIstioCrds();
    crds[0].spec.versions = [{ name: 'v1beta1', served: true }, { name: 'v1alpha3', served: true }, { name: 'v1', served: false }];
    const report = await runDoctor(createFakeCluster({ objects: [buildIstiod({ image: 'docker.io/istio/pilot:1.20.1' }), ...crds] }), { findExecutable });
    const check = report.checks.find((c) => c.id === 'crds');
    assert.equal(check?.status, 'warn');
    assert.equal(check?.details?.[0], 'virtualservices.networking.istio.io: v1beta1, v1alpha3');
  });

  it('stops after the reachability check when the cluster is unreachable', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const report = await runDoctor(createFakeCluster({ version: refused }), { findExecutable });
    assert.equal(report.outcome, 'unreachable');
    assert.deepEqual(statuses(report), ['ok context', 'fail cluster', 'info sandbox', 'info kubectl', 'info istioctl']);
    assert.equal(summaryOf(report, 'cluster'), 'cannot reach the API server at https://127.0.0.1:6443 (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:6443');
  });

  it('names refused credentials without printing them', async () => {
    const cluster = createFakeCluster({ version: Object.assign(new Error('Unauthorized'), { status: 401 }), target: { server: 'https://admin:hunter2@api.example.com:443/?token=abc' } });
    const report = await runDoctor(cluster, { findExecutable });
    const text = formatDoctorText(report) + formatDoctorJson(report);
    assert.match(summaryOf(report, 'cluster'), /refused istio-lab's credentials \(HTTP 401\)/);
    assert.doesNotMatch(text, /hunter2|admin|token=abc/);
  });

  it('turns a check that throws into a failed line', async () => {
    const cluster = createFakeCluster({ objects: buildMesh(), listErrors: { Namespace: Object.assign(new Error('namespaces is forbidden'), { status: 403 }) } });
    const report = await runDoctor(cluster, { findExecutable });
    const check = report.checks.find((c) => c.id === 'injection');
    assert.equal(check?.status, 'fail');
    assert.equal(check?.summary, 'could not check: not allowed to read what this check needs (HTTP 403): namespaces is forbidden');
  });

  it('says when the target is the sandbox', async () => {
    const report = await runDoctor(createFakeCluster({ target: { sandbox: true, context: 'istio-lab-sandbox' }, objects: buildMesh() }), { findExecutable });
    assert.match(summaryOf(report, 'sandbox'), /^yes: the embedded sandbox/);
  });

  it('renders JSON with target, outcome, checks and ingress exports', async () => {
    const report = await runDoctor(createFakeCluster({ objects: buildMesh(buildGatewayService('LoadBalancer', [{ hostname: 'gw.example.com' }])) }), { findExecutable });
    const json = JSON.parse(formatDoctorJson(report));
    assert.deepEqual(json.target, { context: 'kind-lab', server: 'https://127.0.0.1:6443' });
    assert.equal(json.outcome, 'ok');
    assert.equal(json.checks.length, 9);
    assert.equal(json.ingress.exports[2], 'export INGRESS_HOST=gw.example.com');
  });
});

describe('reportConnectionFailure', () => {
  it('reports the connection error and the tools, with outcome unreachable', async () => {
    const report = await reportConnectionFailure('cannot reach the cluster at https://10.0.0.1 (context "gke"): timeout.', 'check the VPN', { findExecutable });
    assert.equal(report.outcome, 'unreachable');
    assert.deepEqual(statuses(report), ['fail cluster', 'info kubectl', 'info istioctl']);
    assert.equal(report.checks[0].fix, 'check the VPN');
  });
});

describe('helpers', () => {
  it('reads the Istio version from an image reference', () => {
    assert.equal(readImageVersion('docker.io/istio/pilot:1.22.3'), '1.22.3');
    assert.equal(readImageVersion('gcr.io/istio-release/pilot:1.23.0-distroless'), '1.23.0');
    assert.equal(readImageVersion('localhost:5000/istio/pilot'), undefined);
    assert.equal(readImageVersion('istio/pilot:1.21.0@sha256:abcd'), '1.21.0');
    assert.equal(readImageVersion('istio/pilot@sha256:abcd'), undefined);
  });

  it('strips credentials, query and fragment from server URLs', () => {
    assert.equal(redactServer('https://user:pass@k8s.example.com:6443/prefix?token=x#y'), 'https://k8s.example.com:6443/prefix');
    assert.equal(redactServer('https://10.0.0.1'), 'https://10.0.0.1');
  });
});
