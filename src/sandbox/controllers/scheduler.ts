// The default scheduler: binds pending pods to a Ready node that fits their nodeSelector and node affinity.
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { ignoreGone, refKey, splitKey, typeForKey } from './object-helpers.js';

function nodeReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') && !node.spec?.unschedulable;
}

/** Whether the pod's nodeSelector and required node affinity (matchFields on metadata.name, matchExpressions) admit the node. */
export function podFitsNode(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as any[] | undefined;
  if (!terms?.length) return true;
  const matches = (req: any, value: string | undefined) => {
    const vals: string[] = req.values ?? [];
    const ops: Record<string, () => boolean> = {
      In: () => value !== undefined && vals.includes(value),
      NotIn: () => value === undefined || !vals.includes(value),
      Exists: () => value !== undefined,
      DoesNotExist: () => value === undefined,
      Gt: () => value !== undefined && Number(value) > Number(vals[0]),
      Lt: () => value !== undefined && Number(value) < Number(vals[0]),
    };
    return ops[req.operator]?.() ?? false;
  };
  return terms.some(
    (t) =>
      (t.matchExpressions ?? []).every((r: any) => matches(r, labels[r.key])) &&
      (t.matchFields ?? []).every((r: any) => matches(r, r.key === 'metadata.name' ? node.metadata.name : undefined)),
  );
}

/** Assigns spec.nodeName to unscheduled pods (the binding a real scheduler posts) and records Scheduled events. */
export class SchedulerController extends QueueController {
  readonly name = 'scheduler';

  protected keysFor(event: StoreEvent): string[] {
    if (event.key === '/pods' && event.type !== 'DELETED' && !event.object.spec?.nodeName) return [refKey(event.object)];
    if (event.key === '/nodes' && event.type !== 'DELETED') return this.unscheduled();
    return [];
  }

  protected initialKeys(): string[] {
    return this.unscheduled();
  }

  private unscheduled(): string[] {
    return this.ctx.registry.store.list('/pods').filter((p) => !p.spec?.nodeName && !p.metadata.deletionTimestamp).map(refKey);
  }

  protected reconcile(key: string): void {
    const { registry, events } = this.ctx;
    const [ns, name] = splitKey(key);
    const rt = typeForKey(registry, '/pods');
    const pod = registry.find(rt, ns, name);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return;
    if ((pod.spec?.schedulerName ?? 'default-scheduler') !== 'default-scheduler') return;
    const nodes = registry.store.list('/nodes');
    const node = nodes.find((n) => nodeReady(n) && podFitsNode(pod, n));
    if (!node) {
      const message = `0/${nodes.length} nodes are available: ${nodes.length ? `${nodes.length} node(s) didn't match Pod's node affinity/selector` : 'no nodes available to schedule pods'}. preemption: 0/${nodes.length} nodes are available.`;
      events.record(pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
      return;
    }
    ignoreGone(() => {
      const bound = registry.update(rt, ns, name, { ...pod, spec: { ...pod.spec, nodeName: node.metadata.name } }, { fieldManager: 'kube-scheduler' });
      // The binding also sets PodScheduled, as the API server does for pods/binding.
      if (!(bound.status?.conditions ?? []).some((c: any) => c.type === 'PodScheduled')) {
        const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: registry.now() };
        const status = { ...(bound.status ?? {}), conditions: [...(bound.status?.conditions ?? []), scheduled] };
        registry.update(rt, ns, name, { ...bound, status }, { subresource: 'status', fieldManager: 'kube-scheduler' });
      }
      events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node.metadata.name}`, 'default-scheduler');
    });
  }
}
