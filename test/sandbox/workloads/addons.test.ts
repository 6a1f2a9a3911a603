// The Grafana, Jaeger and Kiali addon models on the containers of manifests/addons/*.yaml, with their
// ConfigMaps served by a fake API view: what they read from their mounted config, what their APIs
// answer, and the Warning each raises about what it does not emulate.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/sandbox/types.js';
import type { ContainerContext, WorkloadModel } from '../../../src/sandbox/workloads/model.js';
import { createSeededRandom, systemClock } from '../../../src/sandbox/runtime/determinism.js';
import { resolveWorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { fakeNetwork, httpGet } from './harness.js';

const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** Starts the model of the addon Deployment in `file`; returns a URL per port asked for and the warnings. */
async function startAddon(file: string, ports: number[], namespaces: KubeObject[] = []) {
  const objects = (yaml.loadAll(readFileSync(file, 'utf8')) as KubeObject[]).filter(Boolean);
  const dep = objects.find((o) => o.kind === 'Deployment')!;
  const container = dep.spec.template.spec.containers[0];
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { ...dep.spec.template.metadata, name: `${dep.metadata.name}-0`, namespace: 'istio-system' }, spec: dep.spec.template.spec };
  const warnings: string[] = [];
  const ctx: ContainerContext = {
    pod,
    container,
    init: false,
    env: Object.fromEntries((container.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value])),
    clock: systemClock,
    random: createSeededRandom(1),
    log: () => undefined,
    signal: new AbortController().signal,
    network: fakeNetwork(() => ({ failure: 'connect-refused', message: 'no network' })),
    cluster: {
      list: (resource) => (resource === 'namespaces' ? namespaces : []),
      get: (resource, _ns, name) => objects.find((o) => o.kind === 'ConfigMap' && resource === 'configmaps' && o.metadata.name === name),
      warn: (reason, message) => warnings.push(`${reason}: ${message}`),
    },
  };
  const { model, modelled }: { model: WorkloadModel; modelled: boolean } = resolveWorkloadModel(container.image);
  assert.ok(modelled, `${container.image} has a model`);
  const workload = model.create(ctx);
  workload.start?.();
  const urls: Record<number, string> = {};
  for (const port of ports) {
    const server = createServer(workload.httpHandler!(port)!);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    urls[port] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return { urls, warnings };
}

describe('addon models', () => {
  it('Grafana: /api/health, and /api/search lists the Istio dashboards provisioned from the dashboard ConfigMaps', async () => {
    const { urls, warnings } = await startAddon('manifests/addons/grafana.yaml', [3000]);
    const health = JSON.parse((await httpGet(`${urls[3000]}/api/health`)).body);
    assert.deepEqual([health.database, health.version], ['ok', '11.3.1']);
    const search = JSON.parse((await httpGet(`${urls[3000]}/api/search?query=Istio`)).body);
    assert.deepEqual(
      search.map((d: any) => d.title),
      ['Istio Control Plane Dashboard', 'Istio Mesh Dashboard', 'Istio Performance Dashboard', 'Istio Service Dashboard', 'Istio Wasm Extension Dashboard', 'Istio Workload Dashboard', 'Istio Ztunnel Dashboard'],
    );
    assert.ok(search.every((d: any) => d.folderTitle === 'istio' && d.type === 'dash-db'));
    const mesh = JSON.parse((await httpGet(`${urls[3000]}/api/dashboards/uid/istio-mesh`)).body);
    assert.match(JSON.stringify(mesh.dashboard.panels), /istio_requests_total/);
    assert.equal((await httpGet(`${urls[3000]}/api/dashboards/uid/nope`)).status, 404);
    assert.deepEqual(JSON.parse((await httpGet(`${urls[3000]}/api/datasources`)).body).map((d: any) => [d.name, d.url]), [['Prometheus', 'http://prometheus:9090']]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^EmulatedGrafana: .*not rendered/);
  });

  it('Jaeger: the query API lives under the config\'s base path /jaeger and lists services that POSTed Zipkin spans', async () => {
    const { urls, warnings } = await startAddon('manifests/addons/jaeger.yaml', [16686, 9411, 13133]);
    assert.deepEqual(JSON.parse((await httpGet(`${urls[16686]}/jaeger/api/services`)).body).data, []);
    assert.equal((await httpGet(`${urls[16686]}/api/services`)).status, 404);
    const span = [{ traceId: 'a'.repeat(16), id: 'b'.repeat(16), name: 'GET /productpage', localEndpoint: { serviceName: 'productpage.default' } }];
    assert.equal((await httpGet(`${urls[9411]}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(span) })).status, 202);
    assert.deepEqual(JSON.parse((await httpGet(`${urls[16686]}/jaeger/api/services`)).body).data, ['productpage.default']);
    assert.deepEqual(JSON.parse((await httpGet(`${urls[16686]}/jaeger/api/services/productpage.default/operations`)).body).data, ['GET /productpage']);
    assert.equal((await httpGet(`${urls[9411]}/api/v2/spans`, { method: 'POST', body: '{"not":"an array"}' })).status, 400);
    assert.equal((await httpGet(`${urls[13133]}/status`)).status, 200);
    assert.match(warnings.join('\n'), /^EmulatedTracing: .*send no trace spans/);
  });

  it('Kiali: /kiali/healthz, and /kiali/api/namespaces from the API with the injection revision', async () => {
    const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    const { urls, warnings } = await startAddon('manifests/addons/kiali.yaml', [20001], [ns('istio-system'), ns('default', { 'istio-injection': 'enabled' })]);
    assert.equal((await httpGet(`${urls[20001]}/kiali/healthz`)).status, 200);
    const list = JSON.parse((await httpGet(`${urls[20001]}/kiali/api/namespaces`)).body);
    assert.deepEqual(list.map((n: any) => [n.name, n.revision, n.isControlPlane]), [['default', 'default', false], ['istio-system', '', true]]);
    assert.equal((await httpGet(`${urls[20001]}/`)).headers.location, '/kiali/');
    assert.match(warnings.join('\n'), /^EmulatedKiali: .*graph/);
  });
});
