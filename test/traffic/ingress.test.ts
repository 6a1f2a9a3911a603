import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/cluster/types.js';
import { openIngress, resolveIngress } from '../../src/traffic/index.js';
import { buildGateway, buildPod, createFakeCluster } from '../probes/helpers.js';

const labels = { app: 'istio-ingressgateway', istio: 'ingressgateway' };

function gatewayService(type: string, status: object = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
    spec: { type, selector: labels, ports: [{ name: 'status-port', port: 15021, targetPort: 15021, nodePort: 30021 }, { name: 'http2', port: 80, targetPort: 8080, nodePort: 31380 }] },
    status,
  };
}
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kind-worker' }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] } };
const gatewayPod = () => ({ ...buildPod('gw-1', labels, { namespace: 'istio-system', containers: ['istio-proxy'] }), spec: { nodeName: 'kind-worker', containers: [{ name: 'istio-proxy' }] } });

describe('ingress address', () => {
  it('uses the LoadBalancer address and the http2 port', async () => {
    const { address, forward } = await resolveIngress(createFakeCluster(buildGateway('203.0.113.7', 80)));
    assert.deepEqual([address.method, address.host, address.port, forward], ['loadBalancer', '203.0.113.7', 80, undefined]);
  });

  it('falls back to the NodePort on a node address', async () => {
    const { address } = await resolveIngress(createFakeCluster([gatewayService('NodePort'), node, gatewayPod()]));
    assert.deepEqual([address.method, address.host, address.port], ['nodePort', '172.18.0.2', 31380]);
  });

  it('uses 127.0.0.1 and the NodePort on the sandbox', async () => {
    const cluster = createFakeCluster([gatewayService('LoadBalancer', { loadBalancer: { ingress: [{ ip: '10.96.0.50' }] } }), node, gatewayPod()], {}, { sandbox: true });
    const { address } = await resolveIngress(cluster);
    assert.deepEqual([address.method, address.host, address.port], ['nodePort', '127.0.0.1', 31380]);
  });

  it('port-forwards to the gateway pod’s 8080 as the last resort, and closes the forward', async () => {
    const svc = gatewayService('ClusterIP');
    svc.spec.ports = [{ name: 'http2', port: 80, targetPort: 8080 }];
    const cluster = createFakeCluster([svc, gatewayPod()], { portForward: () => 45678 });
    const conn = await openIngress(cluster, {});
    assert.deepEqual([conn.host, conn.port], ['127.0.0.1', 45678]);
    assert.deepEqual(cluster.calls.forwards, ['istio-system/gw-1:8080']);
    await conn.close();
    assert.equal(cluster.calls.closedForwards, 1);
  });

  it('resolves once per cache key, and retries after a failure', async () => {
    const objects: KubeObject[] = [];
    const cluster = createFakeCluster(objects);
    const key = {};
    await assert.rejects(openIngress(cluster, key), /no ingress gateway Service/);
    objects.push(...buildGateway('198.51.100.1', 80));
    const first = await openIngress(cluster, key);
    objects.splice(0, objects.length);
    const second = await openIngress(cluster, key);
    assert.equal(second.host, first.host);
  });
});
