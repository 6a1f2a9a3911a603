// Services: clusterIP/nodePort allocation and validation; Endpoints and EndpointSlices from ready pods.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/sandbox/api/status.js';
import type { KubeObject } from '../../../src/sandbox/types.js';
import { namespace, startHarness, waitFor, type Harness } from './harness.js';

function service(name: string, ns: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec };
}

function pod(name: string, ns: string, labels: Record<string, string>, ports: { name: string; containerPort: number }[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports }] } };
}

const inServiceCidr = (ip: string) => {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 && b >= 96 && b <= 111;
};

describe('Service defaulting and validation', () => {
  let h: Harness;
  before(() => {
    h = startHarness();
    h.apply(namespace('svc'));
  });
  after(() => h.stop());

  it('allocates unique clusterIPs in 10.96.0.0/12 and fills defaults', () => {
    const a = h.apply(service('a', 'svc', { selector: { app: 'a' }, ports: [{ port: 80 }] }));
    const b = h.apply(service('b', 'svc', { selector: { app: 'b' }, ports: [{ port: 80 }] }));
    assert.ok(inServiceCidr(a.spec.clusterIP), a.spec.clusterIP);
    assert.notEqual(a.spec.clusterIP, b.spec.clusterIP);
    assert.deepEqual(a.spec.clusterIPs, [a.spec.clusterIP]);
    assert.equal(a.spec.type, 'ClusterIP');
    assert.equal(a.spec.sessionAffinity, 'None');
    assert.deepEqual(a.spec.ipFamilies, ['IPv4']);
    assert.equal(a.spec.ipFamilyPolicy, 'SingleStack');
    assert.equal(a.spec.internalTrafficPolicy, 'Cluster');
    assert.deepEqual(a.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.deepEqual(a.status, { loadBalancer: {} });
  });

  it('keeps the clusterIP on update and refuses to change it', () => {
    const a = h.get('/services', 'svc', 'a')!;
    const rt = h.registry.resolveKind('v1', 'Service');
    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = a.spec;
    const kept = h.registry.update(rt, 'svc', 'a', { ...a, spec: { ...spec, ports: [{ port: 81 }] } });
    assert.equal(kept.spec.clusterIP, a.spec.clusterIP);
    assert.throws(() => h.registry.update(rt, 'svc', 'a', { ...kept, spec: { ...kept.spec, clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'] } }), /spec\.clusterIPs\[0\]: Invalid value: \[\]string\{"10\.96\.5\.5"\}: may not change once set/);
  });

  it('allocates nodePorts in 30000-32767 for NodePort and LoadBalancer services', () => {
    const np = h.apply(service('np', 'svc', { type: 'NodePort', selector: { app: 'a' }, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }));
    const lb = h.apply(service('lb', 'svc', { type: 'LoadBalancer', selector: { app: 'a' }, ports: [{ port: 80 }] }));
    const ports = [...np.spec.ports, ...lb.spec.ports].map((p: any) => p.nodePort);
    for (const p of ports) assert.ok(p >= 30000 && p <= 32767, String(p));
    assert.equal(new Set(ports).size, 3);
    assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
    assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
    assert.throws(() => h.apply(service('np2', 'svc', { type: 'NodePort', ports: [{ port: 80, nodePort: ports[0] }] })), /provided port is already allocated/);
    assert.throws(() => h.apply(service('np3', 'svc', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })), /spec\.ports\[0\]\.nodePort: Invalid value: 80: provided port is not in the valid range\. The range of valid ports is 30000-32767/);
  });

  it('forbids nodePort on ClusterIP services, and clears nodePorts when a NodePort service becomes ClusterIP', () => {
    assert.throws(() => h.apply(service('cip', 'svc', { ports: [{ port: 80, nodePort: 30080 }] })), /spec\.ports\[0\]\.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'/);
    const rt = h.registry.resolveKind('v1', 'Service');
    const np = h.apply(service('flip', 'svc', { type: 'NodePort', ports: [{ port: 80 }] }));
    assert.ok(np.spec.ports[0].nodePort);
    const flipped = h.registry.update(rt, 'svc', 'flip', { ...np, spec: { ...np.spec, type: 'ClusterIP' } });
    assert.equal(flipped.spec.ports[0].nodePort, undefined);
  });

  it('requires ports unless headless, and unique port names', () => {
    assert.throws(() => h.apply(service('noports', 'svc', { selector: { app: 'a' } })), (e: unknown) => e instanceof ApiError && e.code === 422 && e.message === 'Service "noports" is invalid: spec.ports: Required value');
    const headless = h.apply(service('headless', 'svc', { clusterIP: 'None', selector: { app: 'a' } }));
    assert.equal(headless.spec.clusterIP, 'None');
    assert.throws(() => h.apply(service('dup', 'svc', { ports: [{ name: 'x', port: 80 }, { name: 'x', port: 81 }] })), /spec\.ports\[1\]\.name: Duplicate value: "x"/);
    assert.throws(() => h.apply(service('unnamed', 'svc', { ports: [{ port: 80 }, { port: 81 }] })), /spec\.ports\[0\]\.name: Required value/);
    const ext = h.apply(service('ext', 'svc', { type: 'ExternalName', externalName: 'example.com' }));
    assert.equal(ext.spec.clusterIP, undefined);
  });
});

describe('EndpointsController and EndpointSliceController', () => {
  let h: Harness;
  before(() => {
    h = startHarness({ autoReady: false });
    h.apply(namespace('ep'));
  });
  after(() => h.stop());

  it('publishes ready pods in Endpoints and EndpointSlices once they are Ready, resolving named target ports', async () => {
    h.apply(service('web', 'ep', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
    const p1 = h.apply(pod('web-1', 'ep', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]));
    h.apply(pod('web-2', 'ep', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]));
    h.apply(pod('other', 'ep', { app: 'other' }, [{ name: 'http', containerPort: 8080 }]));
    await waitFor(() => h.get('/pods', 'ep', 'web-1')?.spec.nodeName, 'scheduled');
    const placeholder = await waitFor(() => h.list('discovery.k8s.io/endpointslices', 'ep')[0], 'placeholder slice');
    assert.deepEqual(placeholder.endpoints, []);
    h.setPodReady(p1, true);
    const ep = await waitFor(() => h.get('/endpoints', 'ep', 'web')?.subsets?.[0]?.addresses?.length === 1 && h.get('/endpoints', 'ep', 'web'), 'endpoints');
    const ip = h.get('/pods', 'ep', 'web-1')!.status.podIP;
    assert.deepEqual(ep.subsets, [{ addresses: [{ ip, nodeName: 'istio-lab-control-plane', targetRef: { kind: 'Pod', namespace: 'ep', name: 'web-1', uid: p1.metadata.uid } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);

    h.setPodReady(h.get('/pods', 'ep', 'web-2')!, false);
    const ep2 = await waitFor(() => h.get('/endpoints', 'ep', 'web')?.subsets?.[0]?.notReadyAddresses && h.get('/endpoints', 'ep', 'web'), 'not ready address');
    assert.equal(ep2.subsets[0].notReadyAddresses[0].targetRef.name, 'web-2');

    const slice = await waitFor(() => {
      const s = h.list('discovery.k8s.io/endpointslices', 'ep').find((x) => x.metadata.labels?.['kubernetes.io/service-name'] === 'web');
      return s?.endpoints?.length === 2 && s;
    }, 'slice with two endpoints');
    assert.match(slice.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(slice.addressType, 'IPv4');
    assert.equal(slice.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice.metadata.ownerReferences![0].kind, 'Service');
    assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const byName = Object.fromEntries(slice.endpoints.map((e: any) => [e.targetRef.name, e]));
    assert.deepEqual(byName['web-1'].conditions, { ready: true, serving: true, terminating: false });
    assert.deepEqual(byName['web-2'].conditions, { ready: false, serving: false, terminating: false });
  });

  it('marks terminating pods in slices and drops them from Endpoints', async () => {
    const h2 = startHarness({ finishDeletes: false });
    try {
      h2.apply(namespace('term'));
      h2.apply(service('api', 'term', { selector: { app: 'api' }, ports: [{ port: 80 }] }));
      h2.apply(pod('api-1', 'term', { app: 'api' }, [{ name: 'http', containerPort: 80 }]));
      await waitFor(() => h2.get('/endpoints', 'term', 'api')?.subsets?.[0]?.addresses, 'ready endpoint');
      h2.registry.delete(h2.registry.resolveKind('v1', 'Pod'), 'term', 'api-1');
      await waitFor(() => !h2.get('/endpoints', 'term', 'api')?.subsets, 'endpoints emptied');
      const slice = await waitFor(() => h2.list('discovery.k8s.io/endpointslices', 'term').find((s) => s.endpoints?.[0]?.conditions?.terminating), 'terminating endpoint');
      assert.deepEqual(slice.endpoints[0].conditions, { ready: false, serving: true, terminating: true });
    } finally {
      h2.stop();
    }
  });

  it('removes Endpoints and (through the garbage collector) EndpointSlices with the Service', async () => {
    h.registry.delete(h.registry.resolveKind('v1', 'Service'), 'ep', 'web');
    await waitFor(() => !h.get('/endpoints', 'ep', 'web') && !h.list('discovery.k8s.io/endpointslices', 'ep').length, 'endpoints gone');
  });
});
