// What a fresh kind cluster already holds: system namespaces, the control-plane Node and the `kubernetes` Service.
import { buildNode } from '../runtime/node.js';
import type { Registry } from '../api/registry.js';
import type { KubeObject } from '../types.js';
import type { Controller, ControllerContext } from './controller.js';
import { typeForKey } from './object-helpers.js';

/** Name of the sandbox's single node, as kind names a cluster called istio-lab. */
export const nodeName = 'istio-lab-control-plane';

/** Namespaces every cluster starts with. */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const apiServerPort = { name: 'https', port: 6443, protocol: 'TCP' };

function kubernetesService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
  };
}

function kubernetesEndpoints(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [apiServerPort] }],
  };
}

function kubernetesSlice(): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    ports: [apiServerPort],
  };
}

/** Create `obj` unless an object with its name already exists (state survives restarts). */
function ensure(registry: Registry, key: string, obj: KubeObject): void {
  const rt = typeForKey(registry, key);
  if (registry.find(rt, obj.metadata.namespace, obj.metadata.name!)) return;
  try {
    registry.create(rt, obj.metadata.namespace, obj, { fieldManager: 'kube-apiserver' });
  } catch {
    // A persisted state can hold something in the way (say a Service on 10.96.0.1); start anyway.
  }
}

/** Seeds the cluster's built-in objects at start; idempotent across restarts. */
export class BootstrapController implements Controller {
  readonly name = 'bootstrap';

  start(ctx: ControllerContext): void {
    const { registry } = ctx;
    for (const name of systemNamespaces) ensure(registry, '/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    ensure(registry, '/nodes', buildNode(registry.now()));
    ensure(registry, '/services', kubernetesService());
    ensure(registry, '/endpoints', kubernetesEndpoints());
    ensure(registry, 'discovery.k8s.io/endpointslices', kubernetesSlice());
  }

  stop(): void {}
}
