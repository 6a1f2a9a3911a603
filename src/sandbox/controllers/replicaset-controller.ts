// ReplicaSet → Pods: adopt and release by selector, create and delete to match replicas, report status.
import { matchesLabelSelector } from '../api/selectors.js';
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import {
  controllerOf, controllerRef, ignoreGone, isControlledBy, isPodActive, isPodReady, msUntilAvailable,
  omitZero, refKey, setCondition, splitKey, typeForKey, writeStatus, type Condition,
} from './object-helpers.js';
import { createPod, podFromTemplate } from './pod-template.js';

const component = 'replicaset-controller';
const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Order in which surplus pods go: unscheduled, pending, not ready, ready most recently, then newest. */
export function comparePodsForDeletion(a: KubeObject, b: KubeObject): number {
  const assigned = (p: KubeObject) => (p.spec?.nodeName ? 1 : 0);
  const phase = (p: KubeObject) => phaseRank[p.status?.phase ?? 'Pending'] ?? 0;
  const ready = (p: KubeObject) => (isPodReady(p) ? 1 : 0);
  const readySince = (p: KubeObject) => Date.parse((p.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.lastTransitionTime ?? '') || 0;
  const created = (p: KubeObject) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return (
    assigned(a) - assigned(b) ||
    phase(a) - phase(b) ||
    ready(a) - ready(b) ||
    (ready(a) && ready(b) ? readySince(b) - readySince(a) : 0) ||
    created(b) - created(a) ||
    (a.metadata.name! < b.metadata.name! ? 1 : -1)
  );
}

/** Keeps each ReplicaSet's pod count at spec.replicas and writes its status. */
export class ReplicaSetController extends QueueController {
  readonly name = component;

  protected keysFor(event: StoreEvent): string[] {
    if (event.key === 'apps/replicasets') return [refKey(event.object)];
    if (event.key !== '/pods') return [];
    const keys = new Set<string>();
    for (const pod of [event.object, event.previous]) {
      if (!pod) continue;
      const owner = controllerOf(pod);
      if (owner?.kind === 'ReplicaSet') keys.add(`${pod.metadata.namespace}/${owner.name}`);
    }
    if (!controllerOf(event.object) && event.type !== 'DELETED') {
      for (const rs of this.ctx.registry.store.list('apps/replicasets', event.object.metadata.namespace)) {
        if (matchesLabelSelector(rs.spec?.selector, event.object.metadata.labels)) keys.add(refKey(rs));
      }
    }
    return [...keys];
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('apps/replicasets').map(refKey);
  }

  protected reconcile(key: string): void {
    const { registry } = this.ctx;
    const [ns, name] = splitKey(key);
    const rs = registry.find(typeForKey(registry, 'apps/replicasets'), ns, name);
    if (!rs) return;
    let failure: string | undefined;
    if (!rs.metadata.deletionTimestamp) {
      this.adoptAndRelease(rs);
      failure = this.manageReplicas(rs);
    }
    this.updateStatus(rs, failure);
  }

  private ownedPods(rs: KubeObject): KubeObject[] {
    return this.ctx.registry.store.list('/pods', rs.metadata.namespace).filter((p) => isControlledBy(p, rs.metadata.uid));
  }

  private adoptAndRelease(rs: KubeObject): void {
    const { registry } = this.ctx;
    const rt = typeForKey(registry, '/pods');
    for (const pod of registry.store.list('/pods', rs.metadata.namespace)) {
      const matches = matchesLabelSelector(rs.spec?.selector, pod.metadata.labels);
      const refs = pod.metadata.ownerReferences ?? [];
      if (matches && !controllerOf(pod) && !pod.metadata.deletionTimestamp) {
        pod.metadata.ownerReferences = [...refs, controllerRef(rs)];
      } else if (!matches && isControlledBy(pod, rs.metadata.uid)) {
        pod.metadata.ownerReferences = refs.filter((r) => r.uid !== rs.metadata.uid);
      } else continue;
      ignoreGone(() => registry.update(rt, pod.metadata.namespace, pod.metadata.name!, pod, { fieldManager: component }));
    }
  }

  /** Create or delete pods; returns the creation error message, if any. */
  private manageReplicas(rs: KubeObject): string | undefined {
    const { registry, events } = this.ctx;
    const active = this.ownedPods(rs).filter(isPodActive);
    const diff = active.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) {
        try {
          const pod = createPod(registry, podFromTemplate(rs), component);
          events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, component);
        } catch (err) {
          const message = (err as Error).message;
          events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${message}`, component);
          return message;
        }
      }
    } else if (diff > 0) {
      const rt = typeForKey(registry, '/pods');
      for (const pod of active.sort(comparePodsForDeletion).slice(0, diff)) {
        ignoreGone(() => {
          registry.delete(rt, pod.metadata.namespace, pod.metadata.name!);
          events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, component);
        });
      }
    }
    return undefined;
  }

  private updateStatus(rs: KubeObject, failure: string | undefined): void {
    const { registry, clock } = this.ctx;
    const current = registry.find(typeForKey(registry, 'apps/replicasets'), rs.metadata.namespace, rs.metadata.name!);
    if (!current) return;
    const active = this.ownedPods(current).filter(isPodActive);
    const minReady = current.spec?.minReadySeconds ?? 0;
    const now = clock.now();
    let available = 0;
    for (const pod of active) {
      const wait = msUntilAvailable(pod, minReady, now);
      if (wait === 0) available++;
      else if (wait > 0) this.queue.addAfter(refKey(current), wait + 5);
    }
    const templateLabels = current.spec?.template?.metadata?.labels ?? {};
    let conditions: Condition[] | undefined = current.status?.conditions;
    if (failure) {
      conditions = setCondition(conditions, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: failure }, registry.now());
    } else if (active.length === (current.spec?.replicas ?? 1)) conditions = conditions?.filter((c) => c.type !== 'ReplicaFailure');
    const status = omitZero(
      {
        replicas: active.length,
        fullyLabeledReplicas: active.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
        readyReplicas: active.filter(isPodReady).length,
        availableReplicas: available,
        observedGeneration: current.metadata.generation ?? 1,
      },
      ['replicas'],
    ) as Record<string, unknown>;
    if (conditions?.length) status.conditions = conditions;
    writeStatus(registry, 'apps/replicasets', current, status);
  }
}
