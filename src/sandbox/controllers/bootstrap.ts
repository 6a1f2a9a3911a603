// What a fresh kind cluster already holds: system namespaces, the control-plane Node and the `kubernetes` Service.
import type { Registry } from '../api/registry.js';
import type { KubeObject } from '../types.js';
import type { Controller, ControllerContext } from './controller.js';
import { typeForKey } from './object-helpers.js';

/** Name of the sandbox's single node, as kind names a cluster called istio-lab. */
export const nodeName = 'istio-lab-control-plane';

/** Namespaces every cluster starts with. */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const apiServerPort = { name: 'https', port: 6443, protocol: 'TCP' };

function controlPlaneNode(now: string): KubeObject {
  const condition = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
  const resources = { cpu: '8', 'ephemeral-storage': '263174212Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16336800Ki', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': nodeName,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
        'node.kubernetes.io/exclude-from-external-load-balancers': '',
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: `kind://docker/istio-lab/${nodeName}` },
    status: {
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: nodeName },
      ],
      capacity: resources,
      allocatable: resources,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: '3c1f0e9a-7d0b-4b7e-9d55-2f8a6c1e4b10',
        containerRuntimeVersion: 'containerd://1.7.18',
        kernelVersion: '6.8.0-istio-lab',
        kubeProxyVersion: 'v1.30.0',
        kubeletVersion: 'v1.30.0',
        machineID: '5f4dcc3b5aa765d61d8327deb882cf99',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: '8b1a9953-c461-4296-a827-abf8c47804d7',
      },
    },
  };
}

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
    ensure(registry, '/nodes', controlPlaneNode(registry.now()));
    ensure(registry, '/services', kubernetesService());
    ensure(registry, '/endpoints', kubernetesEndpoints());
    ensure(registry, 'discovery.k8s.io/endpointslices', kubernetesSlice());
  }

  stop(): void {}
}
