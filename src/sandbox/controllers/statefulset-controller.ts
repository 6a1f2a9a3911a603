// StatefulSet → Pods with stable ordinal names (`<name>-<ordinal>`), created in order (OrderedReady) or
// all at once (Parallel), removed from the highest ordinal, and rolled one pod at a time on template change.
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { controllerOf, ignoreGone, isControlledBy, isPodReady, msUntilAvailable, omitZero, refKey, splitKey, typeForKey, writeStatus } from './object-helpers.js';
import { createPod, podFromTemplate } from './pod-template.js';
import { ensureControllerRevision } from './controller-revisions.js';

const component = 'statefulset-controller';
const revisionLabel = 'controller-revision-hash';

function ordinalOf(sts: KubeObject, pod: KubeObject): number {
  const m = new RegExp(`^${sts.metadata.name!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(pod.metadata.name!);
  return m ? Number(m[1]) : -1;
}

/** Reconciles StatefulSets: ordinal pods, ordered scaling, one-at-a-time rolling updates, status. */
export class StatefulSetController extends QueueController {
  readonly name = component;

  protected keysFor(event: StoreEvent): string[] {
    if (event.key === 'apps/statefulsets') return [refKey(event.object)];
    if (event.key !== '/pods') return [];
    const owner = controllerOf(event.object);
    return owner?.kind === 'StatefulSet' ? [`${event.object.metadata.namespace}/${owner.name}`] : [];
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('apps/statefulsets').map(refKey);
  }

  protected reconcile(key: string): void {
    const { registry } = this.ctx;
    const [ns, name] = splitKey(key);
    const sts = registry.find(typeForKey(registry, 'apps/statefulsets'), ns, name);
    if (!sts) return;
    const revision = sts.metadata.deletionTimestamp ? sts.status?.updateRevision : ensureControllerRevision(registry, sts);
    if (!sts.metadata.deletionTimestamp) this.manage(sts, revision);
    this.updateStatus(sts, revision);
  }

  private pods(sts: KubeObject): KubeObject[] {
    return this.ctx.registry.store.list('/pods', sts.metadata.namespace).filter((p) => isControlledBy(p, sts.metadata.uid));
  }

  private manage(sts: KubeObject, revision: string): void {
    const { registry, events } = this.ctx;
    const podRt = typeForKey(registry, '/pods');
    const parallel = sts.spec?.podManagementPolicy === 'Parallel';
    const start = sts.spec?.ordinals?.start ?? 0;
    const end = start + (sts.spec?.replicas ?? 1);
    const byName = new Map(this.pods(sts).map((p) => [p.metadata.name!, p]));
    const remove = (pod: KubeObject) =>
      ignoreGone(() => {
        registry.delete(podRt, pod.metadata.namespace, pod.metadata.name!);
        events.record(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, component);
      });
    for (let i = start; i < end; i++) {
      const podName = `${sts.metadata.name}-${i}`;
      const pod = byName.get(podName);
      if (pod?.status?.phase === 'Failed' && !pod.metadata.deletionTimestamp) {
        remove(pod);
        if (!parallel) return;
        continue;
      }
      if (!pod) {
        const body = podFromTemplate(sts, {
          name: podName,
          labels: { 'apps.kubernetes.io/pod-index': String(i), [revisionLabel]: revision, 'statefulset.kubernetes.io/pod-name': podName },
          spec: { hostname: podName, ...(sts.spec?.serviceName ? { subdomain: sts.spec.serviceName } : {}) },
        });
        createPod(registry, body, component);
        events.record(sts, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${sts.metadata.name} successful`, component);
        if (!parallel) return;
        continue;
      }
      if (!parallel && (pod.metadata.deletionTimestamp || !isPodReady(pod))) return;
    }
    const condemned = [...byName.values()].filter((p) => ordinalOf(sts, p) >= end || ordinalOf(sts, p) < start).sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a));
    for (const pod of condemned) {
      if (!pod.metadata.deletionTimestamp) remove(pod);
      if (!parallel) return;
    }
    if (sts.spec?.updateStrategy?.type !== 'RollingUpdate') return;
    const inRange = [...byName.values()].filter((p) => ordinalOf(sts, p) >= start && ordinalOf(sts, p) < end);
    if (inRange.some((p) => p.metadata.deletionTimestamp || !isPodReady(p))) return;
    const partition = sts.spec.updateStrategy.rollingUpdate?.partition ?? 0;
    const stale = inRange.filter((p) => ordinalOf(sts, p) >= partition && p.metadata.labels?.[revisionLabel] !== revision).sort((a, b) => ordinalOf(sts, b) - ordinalOf(sts, a));
    if (stale.length) remove(stale[0]);
  }

  private updateStatus(sts: KubeObject, revision: string | undefined): void {
    const { registry, clock } = this.ctx;
    const current = registry.find(typeForKey(registry, 'apps/statefulsets'), sts.metadata.namespace, sts.metadata.name!);
    if (!current) return;
    const pods = this.pods(current).filter((p) => !p.metadata.deletionTimestamp);
    const minReady = current.spec?.minReadySeconds ?? 0;
    let available = 0;
    for (const p of pods) {
      const wait = msUntilAvailable(p, minReady, clock.now());
      if (wait === 0) available++;
      else if (wait > 0) this.queue.addAfter(refKey(current), wait + 5);
    }
    const replicas = current.spec?.replicas ?? 1;
    const ready = pods.filter(isPodReady).length;
    const updated = pods.filter((p) => p.metadata.labels?.[revisionLabel] === revision).length;
    let currentRevision = current.status?.currentRevision ?? revision;
    if (updated === replicas && ready === replicas) currentRevision = revision;
    const status = {
      ...omitZero({
        observedGeneration: current.metadata.generation ?? 1,
        replicas: pods.length,
        readyReplicas: ready,
        currentReplicas: pods.filter((p) => p.metadata.labels?.[revisionLabel] === currentRevision).length,
        updatedReplicas: updated,
      }, ['replicas']),
      availableReplicas: available,
      currentRevision,
      updateRevision: revision,
      collisionCount: 0,
    };
    writeStatus(registry, 'apps/statefulsets', current, status);
  }
}
