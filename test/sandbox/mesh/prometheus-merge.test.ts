// Istio's metrics merging (istio.io docs/ops/integrations/prometheus "Option 1: Metrics merging";
// istio/istio pkg/kube/inject applyPrometheusMerge): the injector points a pod's prometheus.io
// annotations at the agent and keeps the app's own in ISTIO_PROMETHEUS_ANNOTATIONS; the agent's
// :15020/stats/prometheus then serves Envoy's metrics and the app's together.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { applyPrometheusMerge } from '../../../src/sandbox/controllers/prometheus-merge.js';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { startMeshSandbox, type MeshSandbox } from '../../helpers/mesh-sandbox.js';

const pod = (annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(annotations ? { annotations } : {}) } });
const agent = { 'prometheus.io/port': '15020', 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/scrape': 'true' };

describe('§7 injection: metrics merging rewrites the prometheus.io annotations', () => {
  it('a pod without annotations is pointed at the agent, with no saved settings', () => {
    const p = pod();
    const sidecar: { env?: { name: string; value?: string }[] } = { env: [] };
    applyPrometheusMerge(p, sidecar);
    assert.deepEqual(p.metadata.annotations, agent);
    assert.deepEqual(sidecar.env, []);
  });

  it("the app's own scrape settings move into ISTIO_PROMETHEUS_ANNOTATIONS, every spelling of them removed", () => {
    const p = pod({ 'prometheus.io/scrape': 'true', 'prometheus-io/port': '9080', 'prometheus.io/path': '/app-metrics', keep: 'me' });
    const sidecar: { env?: { name: string; value?: string }[] } = {};
    applyPrometheusMerge(p, sidecar);
    assert.deepEqual(p.metadata.annotations, { keep: 'me', ...agent });
    assert.deepEqual(sidecar.env, [{ name: 'ISTIO_PROMETHEUS_ANNOTATIONS', value: '{"scrape":"true","path":"/app-metrics","port":"9080"}' }]);
  });

  it('scrape "false", merge turned off (per pod or mesh-wide), or a port already at 15020 leave the pod as it is', () => {
    for (const [annotations, mesh] of [[{ 'prometheus.io/scrape': 'false', 'prometheus.io/port': '9080' }, true], [{ 'prometheus.istio.io/merge-metrics': 'false' }, true], [{ 'prometheus.io/port': '9080' }, false], [{ 'prometheus.io/port': '15020', 'prometheus.io/path': '/x' }, true]] as const) {
      const p = pod({ ...annotations });
      const sidecar: { env?: { name: string; value?: string }[] } = {};
      applyPrometheusMerge(p, sidecar, mesh);
      assert.deepEqual(p.metadata.annotations, annotations, JSON.stringify(annotations));
      assert.equal(sidecar.env, undefined);
    }
    const optIn = pod({ 'prometheus.istio.io/merge-metrics': 'true' });
    applyPrometheusMerge(optIn, {}, false);
    assert.equal(optIn.metadata.annotations!['prometheus.io/port'], '15020', 'the pod annotation wins over the mesh setting');
  });
});

describe('§7 the agent serves merged metrics on 15020 (sandbox)', () => {
  let m: MeshSandbox;
  before(async () => {
    m = await startMeshSandbox();
    await m.apply(`apiVersion: v1
kind: Pod
metadata:
  name: catalogue
  labels: { app: catalogue }
  annotations: { prometheus.io/scrape: "true", prometheus.io/port: "80", prometheus.io/path: /metrics }
spec:
  containers:
  - { name: catalogue, image: weaveworksdemos/catalogue:0.3.5, ports: [{ containerPort: 80 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: curl, labels: { app: curl } }
spec:
  containers:
  - { name: curl, image: curlimages/curl:8.16.0, command: [/bin/sleep, infinity] }
`);
    await m.ready('default', 'app=catalogue');
    await m.ready('default', 'app=curl');
  });
  after(() => m?.dispose());

  it("the injected pod's annotations point at the agent and its app settings are kept for the agent", async () => {
    const p = (await m.cluster.get({ apiVersion: 'v1', kind: 'Pod', name: 'catalogue', namespace: 'default' }))!;
    assert.deepEqual([p.metadata.annotations!['prometheus.io/port'], p.metadata.annotations!['prometheus.io/path']], ['15020', '/stats/prometheus']);
    const proxy = p.spec.containers.find((c: any) => c.name === 'istio-proxy');
    assert.equal(proxy.env.find((e: any) => e.name === 'ISTIO_PROMETHEUS_ANNOTATIONS')?.value, '{"scrape":"true","path":"/metrics","port":"80"}');
  });

  it("15020 carries Envoy's istio_requests_total and the app's own metrics; 15090 only Envoy's", async () => {
    const ip = (await m.cluster.get({ apiVersion: 'v1', kind: 'Pod', name: 'catalogue', namespace: 'default' }))!.status.podIP;
    const curl = (url: string) => m.cluster.exec('default', 'curl', 'curl', ['curl', '-sS', url], { timeoutMs: 20000 });
    await curl(`http://${ip}:80/tags`);
    const merged = (await curl(`http://${ip}:15020/stats/prometheus`)).stdout;
    const envoyOnly = (await curl(`http://${ip}:15090/stats/prometheus`)).stdout;
    assert.match(merged, /^istio_requests_total\{/m, 'Envoy metrics are in the merged output');
    const appMetric = /^(http_request_duration_seconds|request_duration_seconds)\w*\{/m;
    assert.match(merged, appMetric, "the catalogue's /metrics are in the merged output");
    assert.doesNotMatch(envoyOnly, appMetric);
  });
});

describe('§7 meshConfig.enablePrometheusMerge: false leaves new pods without the agent annotations (sandbox)', () => {
  let m: MeshSandbox;
  before(async () => {
    m = await startMeshSandbox();
    const cm = (await m.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'istio', namespace: 'istio-system' }))!;
    await m.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: cm.data.mesh.replace('enablePrometheusMerge: true', 'enablePrometheusMerge: false') } }, { fieldManager: 'test', force: true });
    await m.apply(`apiVersion: v1
kind: Pod
metadata:
  name: app
  labels: { app: app }
  annotations: { prometheus.io/port: "9080" }
spec:
  containers:
  - { name: app, image: docker.io/mccutchen/go-httpbin:v2.15.0, ports: [{ containerPort: 8080 }] }
`);
  });
  after(() => m?.dispose());

  it("the pod keeps its own annotation and gets no ISTIO_PROMETHEUS_ANNOTATIONS", async () => {
    const p = (await m.cluster.get({ apiVersion: 'v1', kind: 'Pod', name: 'app', namespace: 'default' }))!;
    assert.ok(p.spec.containers.some((c: any) => c.name === 'istio-proxy'), 'the pod is injected');
    assert.equal(p.metadata.annotations?.['prometheus.io/port'], '9080');
    assert.equal(p.metadata.annotations?.['prometheus.io/path'], undefined);
    assert.equal(p.spec.containers.find((c: any) => c.name === 'istio-proxy').env.find((e: any) => e.name === 'ISTIO_PROMETHEUS_ANNOTATIONS'), undefined);
  });
});
