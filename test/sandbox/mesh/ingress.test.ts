// The sandbox mesh through its public surfaces only: manifests applied via the Kubernetes API, HTTP
// to the ingress gateway's NodePort on 127.0.0.1, exec of curl in pods (§1, §6).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { eventually, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { connectCluster } from '../../../src/cluster/kube.js';
import type { Cluster } from '../../../src/cluster/types.js';

function get(port: number, host: string, path: string): Promise<{ status: number; headers: Record<string, any>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const virtualService = (w1: number, w2: number) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'helloworld', namespace: 'default' },
  spec: { hosts: ['helloworld.example.com'], gateways: ['helloworld-gateway'], http: [{ route: [{ destination: { host: 'helloworld', subset: 'v1' }, weight: w1 }, { destination: { host: 'helloworld', subset: 'v2' }, weight: w2 }] }] },
});

describe('sandbox mesh: ingress gateway and routing', () => {
  let sb: TestSandbox;
  let cluster: Cluster;
  let port: number;
  const apply = (obj: any) => eventually(() => cluster.apply(obj, { fieldManager: 'test', force: true }), 10000);

  before(async () => {
    sb = await startTestSandbox();
    cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
    for (const f of ['manifests/istio/crds.yaml', 'manifests/istio/sandbox-install.yaml', 'manifests/samples/helloworld.yaml', 'labs/core/traffic-shifting/gateway.yaml']) {
      for (const d of yaml.loadAll(readFileSync(f, 'utf8')).filter(Boolean) as any[]) {
        if (!d.metadata.namespace && !['Namespace', 'CustomResourceDefinition'].includes(d.kind)) d.metadata.namespace = 'default';
        await apply(d);
      }
    }
    const core = sb.kc.makeApiClient(k8s.CoreV1Api);
    const svc = await core.readNamespacedService({ name: 'istio-ingressgateway', namespace: 'istio-system' });
    port = svc.spec!.ports!.find((p) => p.name === 'http2')!.nodePort!;
    const ready = async () => (await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=helloworld' })).items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === 2;
    await eventually(ready, 10000);
  });
  after(async () => {
    cluster.close();
    await sb.dispose();
  });

  it('§6 with a Gateway but no bound VirtualService, the gateway answers 404 with an empty body and server: istio-envoy', async () => {
    const r = await eventually(async () => {
      const res = await get(port, 'helloworld.example.com', '/hello');
      return res.status === 404 ? res : undefined;
    }, 5000);
    assert.equal(r.body, '');
    assert.equal(r.headers.server, 'istio-envoy');
  });

  it('§1.7 weights: 100/0 sends everything to v1; 80/20 lands within 3 points over 2000 requests', async () => {
    await apply(virtualService(100, 0));
    await eventually(async () => (await get(port, 'helloworld.example.com', '/hello')).status === 200, 5000);
    for (let i = 0; i < 20; i++) assert.match((await get(port, 'helloworld.example.com', '/hello')).body, /Hello version: v1/);
    await apply(virtualService(80, 20));
    await eventually(async () => /version: v2/.test((await get(port, 'helloworld.example.com', '/hello')).body), 5000);
    let v1 = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) if (/version: v1/.test((await get(port, 'helloworld.example.com', '/hello')).body)) v1++;
    assert.ok(Math.abs((100 * v1) / n - 80) <= 3, `v1 got ${(100 * v1) / n}%`);
  });

  it('§1.6 a Host that no Gateway server accepts gets 404', async () => {
    assert.equal((await get(port, 'other.example.com', '/hello')).status, 404);
  });

  it('§1.8 a subset no DestinationRule defines answers 503 (NC)', async () => {
    const vs = virtualService(100, 0);
    vs.spec.http[0].route[0].destination.subset = 'v9';
    await apply(vs);
    const r = await eventually(async () => {
      const res = await get(port, 'helloworld.example.com', '/hello');
      return res.status === 503 ? res : undefined;
    }, 5000);
    assert.equal(r.status, 503);
  });
});
