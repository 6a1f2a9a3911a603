// The scheduler's part for a one-node cluster: bind a pending pod to the node, write PodScheduled,
// record Scheduled. Pods it cannot place trivially are left to a real scheduler controller.
import type { Registry } from '../api/registry.js';
import type { ResourceType } from '../api/resource-types.js';
import type { EventRecorder } from '../controllers/controller.js';
import type { KubeObject } from '../types.js';
import { NODE_NAME } from './node.js';

/** Whether `pod` may be bound to `node` here: default scheduler, matching nodeSelector, no required node affinity. */
export function fitsNode(pod: KubeObject, node: KubeObject | undefined): boolean {
  if (!node || (pod.spec?.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return false;
  if (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution) return false;
  const labels = node.metadata.labels ?? {};
  return Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Sets spec.nodeName (as kube-scheduler), the PodScheduled condition, and records the Scheduled event. */
export function bindPod(registry: Registry, podType: ResourceType, events: EventRecorder, pod: KubeObject): void {
  const { namespace: ns, name } = pod.metadata;
  if (!fitsNode(pod, registry.find(registry.types.byResource('', 'v1', 'nodes')!, undefined, NODE_NAME))) return;
  try {
    const bound = registry.update(podType, ns, name!, { ...pod, spec: { ...pod.spec, nodeName: NODE_NAME } }, { fieldManager: 'kube-scheduler' });
    const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: registry.now() };
    const status = { ...(bound.status ?? {}), phase: 'Pending', conditions: [scheduled] };
    registry.update(podType, ns, name!, { ...bound, status }, { subresource: 'status', fieldManager: 'kube-scheduler' });
    events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${NODE_NAME}`, 'default-scheduler');
  } catch {
    // Bound by someone else, changed or gone meanwhile: the next watch event reconciles it again.
  }
}
