import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatIngressExports, resolveIngressAddress } from '../../src/doctor/index.js';
import { buildGatewayPod, buildGatewayService, buildNode } from './objects.js';

const base = { name: 'istio-ingressgateway', namespace: 'istio-system' };

describe('resolveIngressAddress', () => {
  it('uses the LoadBalancer ip and the http2 / https service ports', () => {
    const address = resolveIngressAddress({ service: buildGatewayService('LoadBalancer', [{ ip: '172.18.255.200' }]), nodes: [], pods: [] });
    assert.deepEqual(address, { ...base, method: 'loadBalancer', host: '172.18.255.200', port: 80, securePort: 443 });
  });

  it('uses the LoadBalancer hostname when there is no ip (AWS)', () => {
    const address = resolveIngressAddress({ service: buildGatewayService('LoadBalancer', [{ hostname: 'a1b2.elb.amazonaws.com' }]), nodes: [], pods: [] });
    assert.equal(address.method, 'loadBalancer');
    assert.equal(address.host, 'a1b2.elb.amazonaws.com');
  });

  it('falls back to the NodePort on a node address while the LoadBalancer is pending', () => {
    const nodes = [buildNode('worker', { InternalIP: '172.18.0.3', Hostname: 'worker' })];
    const address = resolveIngressAddress({ service: buildGatewayService('LoadBalancer'), nodes, pods: [] });
    assert.deepEqual(address, { ...base, method: 'nodePort', host: '172.18.0.3', port: 31380, securePort: 31390 });
  });

  it('prefers the node running the gateway pod, and its ExternalIP over its InternalIP', () => {
    const nodes = [buildNode('a', { InternalIP: '10.0.0.1' }), buildNode('b', { InternalIP: '10.0.0.2', ExternalIP: '34.1.2.3' })];
    const pods = [buildGatewayPod('istio-ingressgateway-abc', 'b')];
    const address = resolveIngressAddress({ service: buildGatewayService('NodePort'), nodes, pods });
    assert.equal(address.host, '34.1.2.3');
    assert.equal(address.port, 31380);
  });

  it('uses the pod\'s hostIP when nodes cannot be read', () => {
    const pods = [buildGatewayPod('istio-ingressgateway-abc', 'b', '192.168.49.2')];
    const address = resolveIngressAddress({ service: buildGatewayService('NodePort'), nodes: [], pods });
    assert.deepEqual([address.method, address.host, address.port], ['nodePort', '192.168.49.2', 31380]);
  });

  it('falls back to a port-forward to the gateway pod for a ClusterIP service', () => {
    const pods = [buildGatewayPod('istio-ingressgateway-abc', 'b')];
    const address = resolveIngressAddress({ service: buildGatewayService('ClusterIP'), nodes: [], pods });
    assert.deepEqual(address, {
      ...base,
      method: 'portForward',
      host: '127.0.0.1',
      port: 8080,
      command: 'kubectl -n istio-system port-forward pod/istio-ingressgateway-abc 8080:8080',
    });
  });

  it('port-forwards the service when no pod is known', () => {
    const address = resolveIngressAddress({ service: buildGatewayService('ClusterIP'), nodes: [], pods: [], localPort: 9080 });
    assert.equal(address.command, 'kubectl -n istio-system port-forward svc/istio-ingressgateway 9080:80');
    assert.equal(address.port, 9080);
  });

  it('finds the HTTP port by name http, then by number 80, when there is no http2', () => {
    const service = buildGatewayService('LoadBalancer', [{ ip: '1.2.3.4' }]);
    service.spec.ports = [{ name: 'web', port: 80 }, { name: 'http', port: 8080 }];
    assert.equal(resolveIngressAddress({ service, nodes: [], pods: [] }).port, 8080);
    service.spec.ports = [{ name: 'tcp', port: 31400 }, { name: 'web', port: 80 }];
    assert.equal(resolveIngressAddress({ service, nodes: [], pods: [] }).port, 80);
  });
});

describe('formatIngressExports', () => {
  it('prints the istio.io recipe variables', () => {
    const address = resolveIngressAddress({ service: buildGatewayService('LoadBalancer', [{ ip: '172.18.255.200' }]), nodes: [], pods: [] });
    assert.deepEqual(formatIngressExports(address), [
      'export INGRESS_NAME=istio-ingressgateway',
      'export INGRESS_NS=istio-system',
      'export INGRESS_HOST=172.18.255.200',
      'export INGRESS_PORT=80',
      'export SECURE_INGRESS_PORT=443',
      'export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT',
    ]);
  });

  it('starts with the port-forward command when one is needed', () => {
    const address = resolveIngressAddress({ service: buildGatewayService('ClusterIP'), nodes: [], pods: [] });
    assert.deepEqual(formatIngressExports(address).slice(0, 2), [
      '# first, in another terminal: kubectl -n istio-system port-forward svc/istio-ingressgateway 8080:80',
      'export INGRESS_NAME=istio-ingressgateway',
    ]);
  });
});
