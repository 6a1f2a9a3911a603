// The sandbox's single Node, registered by the kubelet at start as a kind control-plane node would be.
import type { Registry } from '../api/registry.js';
import { sandboxVersion } from '../api/routes/discovery.js';

const kubeletVersion = `v${sandboxVersion.major}.${sandboxVersion.minor}.0`;
import type { KubeObject } from '../types.js';
import { HOST_IP } from './pod-status.js';

/** The one node every pod is scheduled to. */
export const NODE_NAME = 'istio-lab-control-plane';

/** Creates the Node object unless it exists (another component may have registered it first). */
export function registerNode(registry: Registry): void {
  const rt = registry.types.byResource('', 'v1', 'nodes');
  if (!rt || registry.find(rt, undefined, NODE_NAME)) return;
  try {
    registry.create(rt, undefined, buildNode(registry.now()), { fieldManager: 'kubelet' });
  } catch {
    // Already registered concurrently: nothing to do.
  }
}

/** The Node as `kubectl get node -o yaml` shows it on a kind cluster (the bootstrap controller and the kubelet both register it). */
export function buildNode(now: string): KubeObject {
  const capacity = { cpu: '8', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16336452Ki', pods: '110' };
  const condition = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: NODE_NAME,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': NODE_NAME,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/control-plane': '',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: `kind://docker/istio-lab/${NODE_NAME}` },
    status: {
      addresses: [
        { type: 'InternalIP', address: HOST_IP },
        { type: 'Hostname', address: NODE_NAME },
      ],
      allocatable: capacity,
      capacity,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: '00000000-0000-4000-8000-000000000000',
        containerRuntimeVersion: 'containerd://1.7.18',
        kernelVersion: '6.8.0-istio-lab',
        // Plain semver, as a kind node reports it (Istio parses it to detect native sidecar support, §7).
        kubeProxyVersion: kubeletVersion,
        kubeletVersion,
        machineID: '00000000000000000000000000000000',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: '00000000-0000-4000-8000-000000000000',
      },
    },
  };
}
