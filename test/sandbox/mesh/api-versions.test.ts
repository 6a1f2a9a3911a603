// §1.1 through the sandbox's public surfaces: a VirtualService written as networking.istio.io/v1alpha3 is
// one object served as v1, v1beta1 and v1alpha3 (apiVersion echoing the version asked for), kubectl knows
// it by its short name `vs`, and it routes traffic at the ingress gateway's NodePort.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startMeshSandbox, type MeshSandbox } from '../../helpers/mesh-sandbox.js';
import { eventually, hasKubectl } from '../../helpers/sandbox.js';
import type { KubeObject } from '../../../src/cluster/types.js';

const VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];
const HOST = 'httpbin.example.com';
const ref = (version: string) => ({ apiVersion: `networking.istio.io/${version}`, kind: 'VirtualService', name: 'httpbin', namespace: 'default' });

const gateway = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["${HOST}"]
`;

function get(port: number, path: string): Promise<{ status: number; headers: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: HOST }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('§1.1 API versions of networking.istio.io on the sandbox', () => {
  let m: MeshSandbox;
  let port: number;
  let created: KubeObject;

  before(async () => {
    m = await startMeshSandbox();
    await m.apply('manifests/samples/httpbin.yaml');
    await m.apply(gateway);
    created = await m.cluster.create({
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'VirtualService',
      metadata: { name: 'httpbin', namespace: 'default' },
      spec: { hosts: [HOST], gateways: ['httpbin-gateway'], http: [{ match: [{ uri: { prefix: '/status' } }], route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] }] },
    });
    const svc = await m.cluster.get({ apiVersion: 'v1', kind: 'Service', name: 'istio-ingressgateway', namespace: 'istio-system' });
    port = svc!.spec.ports.find((p: any) => p.name === 'http2').nodePort;
    await m.ready('default', 'app=httpbin');
  });
  after(() => m?.dispose());

  it('§1.1 a VirtualService applied as v1alpha3 is served as v1 and v1beta1 with the same spec, apiVersion echoing the version asked for', async () => {
    assert.equal(created.apiVersion, 'networking.istio.io/v1alpha3');
    for (const version of VERSIONS) {
      const vs = await m.cluster.get(ref(version));
      assert.ok(vs, `readable as ${version}`);
      assert.equal(vs.apiVersion, `networking.istio.io/${version}`);
      assert.deepEqual(vs.spec, created.spec, version);
      assert.equal(vs.metadata.uid, created.metadata.uid, `${version} is the same object`);
      const listed = (await m.cluster.list(`networking.istio.io/${version}`, 'VirtualService', { namespace: 'default' })).items;
      assert.deepEqual(listed.map((o) => [o.metadata.name, o.apiVersion]), [['httpbin', `networking.istio.io/${version}`]]);
    }
  });

  it('§1.1 the three versions are one object: an update through v1beta1 is seen through v1 and v1alpha3', async () => {
    const patched = await m.cluster.patch(ref('v1beta1'), { spec: { http: [{ match: [{ uri: { prefix: '/status' } }], route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }], headers: { response: { set: { 'x-written-as': 'v1beta1' } } } }] } }, 'merge');
    assert.equal(patched.apiVersion, 'networking.istio.io/v1beta1');
    assert.notEqual(patched.metadata.resourceVersion, created.metadata.resourceVersion);
    for (const version of ['v1', 'v1alpha3']) {
      const vs = await m.cluster.get(ref(version));
      assert.equal(vs!.metadata.resourceVersion, patched.metadata.resourceVersion, version);
      assert.deepEqual(vs!.spec.http[0].headers, { response: { set: { 'x-written-as': 'v1beta1' } } }, version);
    }
    // A delete through v1alpha3 removes the object from every version.
    const scratch = { ...ref('v1'), name: 'scratch' };
    await m.cluster.create({ apiVersion: scratch.apiVersion, kind: 'VirtualService', metadata: { name: 'scratch', namespace: 'default' }, spec: { hosts: ['scratch'], http: [{ route: [{ destination: { host: 'httpbin' } }] }] } });
    assert.equal(await m.cluster.delete({ ...scratch, apiVersion: 'networking.istio.io/v1alpha3' }), true);
    for (const version of VERSIONS) assert.equal(await m.cluster.get({ ...scratch, apiVersion: `networking.istio.io/${version}` }), undefined, version);
  });

  it('§1.1 the VirtualService created as v1alpha3 and updated as v1beta1 routes traffic through the ingress gateway', async () => {
    const r = await eventually(async () => {
      const res = await get(port, '/status/418');
      return res.status === 418 && res.headers['x-written-as'] ? res : undefined;
    }, 5000);
    assert.equal(r.headers['x-written-as'], 'v1beta1', 'the v1beta1 update is in force');
    assert.ok(r.headers['x-envoy-upstream-service-time'], 'answered by httpbin, not by the gateway');
    assert.equal((await get(port, '/headers')).status, 404, 'a path the VirtualService does not match is 404');
  });

  it('§1.1 kubectl knows the short name vs and prints the version asked for', { skip: !hasKubectl && 'kubectl is not installed' }, async () => {
    const table = await m.sb.kubectl(['get', 'vs']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+GATEWAYS\s+HOSTS\s+AGE\n/);
    assert.match(table.stdout, /^httpbin\s+\["httpbin-gateway"\]\s+\["httpbin\.example\.com"\]\s+\S+\n/m);
    const preferred = await m.sb.kubectl(['get', 'vs', 'httpbin', '-o', 'jsonpath={.apiVersion}']);
    assert.equal(preferred.stdout, 'networking.istio.io/v1', 'kubectl uses the preferred (storage) version v1');
    // kubectl's short-name expansion keeps only the group, so a version is named with the plural.
    for (const version of VERSIONS) {
      const r = await m.sb.kubectl(['get', `virtualservices.${version}.networking.istio.io`, 'httpbin', '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const vs = JSON.parse(r.stdout);
      assert.equal(vs.apiVersion, `networking.istio.io/${version}`);
      assert.equal(vs.spec.http[0].headers.response.set['x-written-as'], 'v1beta1');
    }
  });
});
