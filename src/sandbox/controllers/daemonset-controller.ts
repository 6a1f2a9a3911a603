// DaemonSet → one Pod per eligible Node (the sandbox has one), pinned with node affinity, replaced on template change.
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { controllerOf, ignoreGone, isControlledBy, isPodReady, msUntilAvailable, refKey, splitKey, typeForKey, writeStatus } from './object-helpers.js';
import { createPod, podFromTemplate } from './pod-template.js';
import { currentRevisionName, ensureControllerRevision } from './controller-revisions.js';
import { podFitsNode } from './scheduler.js';

const component = 'daemonset-controller';

const daemonTolerations = [
  ['node.kubernetes.io/not-ready', 'NoExecute'],
  ['node.kubernetes.io/unreachable', 'NoExecute'],
  ['node.kubernetes.io/disk-pressure', 'NoSchedule'],
  ['node.kubernetes.io/memory-pressure', 'NoSchedule'],
  ['node.kubernetes.io/pid-pressure', 'NoSchedule'],
  ['node.kubernetes.io/unschedulable', 'NoSchedule'],
].map(([key, effect]) => ({ key, operator: 'Exists', effect }));

function pinnedTo(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.flatMap((t: any) => t.matchFields ?? []).find((f: any) => f.key === 'metadata.name')?.values?.[0];
}

/** Runs one pod of each DaemonSet on every node that fits its template. */
export class DaemonSetController extends QueueController {
  readonly name = component;

  protected keysFor(event: StoreEvent): string[] {
    const { store } = this.ctx.registry;
    if (event.key === 'apps/daemonsets') return [refKey(event.object)];
    if (event.key === '/nodes') return store.list('apps/daemonsets').map(refKey);
    if (event.key !== '/pods') return [];
    const owner = controllerOf(event.object);
    return owner?.kind === 'DaemonSet' ? [`${event.object.metadata.namespace}/${owner.name}`] : [];
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('apps/daemonsets').map(refKey);
  }

  protected reconcile(key: string): void {
    const { registry } = this.ctx;
    const [ns, name] = splitKey(key);
    const ds = registry.find(typeForKey(registry, 'apps/daemonsets'), ns, name);
    if (!ds) return;
    if (!ds.metadata.deletionTimestamp) this.manage(ds);
    this.updateStatus(ds);
  }

  private pods(ds: KubeObject): KubeObject[] {
    return this.ctx.registry.store.list('/pods', ds.metadata.namespace).filter((p) => isControlledBy(p, ds.metadata.uid));
  }

  private manage(ds: KubeObject): void {
    const { registry, events } = this.ctx;
    const podRt = typeForKey(registry, '/pods');
    const hash = ensureControllerRevision(registry, ds).slice(ds.metadata.name!.length + 1);
    const rolling = ds.spec?.updateStrategy?.type === 'RollingUpdate';
    const remove = (pod: KubeObject) =>
      ignoreGone(() => {
        registry.delete(podRt, pod.metadata.namespace, pod.metadata.name!);
        events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, component);
      });
    const pods = this.pods(ds);
    for (const node of registry.store.list('/nodes')) {
      const nodeName = node.metadata.name!;
      const here = pods.filter((p) => pinnedTo(p) === nodeName && !p.metadata.deletionTimestamp);
      const fits = podFitsNode({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: ds.spec?.template?.spec }, node);
      if (!fits) {
        here.forEach(remove);
        continue;
      }
      const failed = here.filter((p) => p.status?.phase === 'Failed');
      failed.forEach(remove);
      const live = here.filter((p) => p.status?.phase !== 'Failed');
      if (!live.length) {
        const terms = [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }];
        const body = podFromTemplate(ds, {
          labels: { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
          spec: {
            affinity: { ...(ds.spec?.template?.spec?.affinity ?? {}), nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
            tolerations: [...(ds.spec?.template?.spec?.tolerations ?? []), ...daemonTolerations],
          },
        });
        const pod = createPod(registry, body, component);
        events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, component);
        continue;
      }
      live.slice(1).forEach(remove);
      if (rolling && live[0].metadata.labels?.['controller-revision-hash'] !== hash) remove(live[0]);
    }
  }

  private updateStatus(ds: KubeObject): void {
    const { registry, clock } = this.ctx;
    const current = registry.find(typeForKey(registry, 'apps/daemonsets'), ds.metadata.namespace, ds.metadata.name!);
    if (!current) return;
    const hash = currentRevisionName(current).slice(current.metadata.name!.length + 1);
    const pods = this.pods(current).filter((p) => !p.metadata.deletionTimestamp);
    const counts = { desired: 0, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0 };
    for (const node of registry.store.list('/nodes')) {
      const fits = podFitsNode({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: current.spec?.template?.spec }, node);
      const pod = pods.find((p) => pinnedTo(p) === node.metadata.name);
      if (!fits) {
        if (pod) counts.misscheduled++;
        continue;
      }
      counts.desired++;
      if (!pod) continue;
      counts.current++;
      if (isPodReady(pod)) counts.ready++;
      const wait = msUntilAvailable(pod, current.spec?.minReadySeconds ?? 0, clock.now());
      if (wait === 0) counts.available++;
      else if (wait > 0) this.queue.addAfter(refKey(current), wait + 5);
      if (pod.metadata.labels?.['controller-revision-hash'] === hash) counts.updated++;
    }
    const status: Record<string, unknown> = {
      currentNumberScheduled: counts.current,
      desiredNumberScheduled: counts.desired,
      numberMisscheduled: counts.misscheduled,
      numberReady: counts.ready,
      observedGeneration: current.metadata.generation ?? 1,
    };
    if (counts.updated) status.updatedNumberScheduled = counts.updated;
    if (counts.available) status.numberAvailable = counts.available;
    if (counts.desired - counts.available > 0) status.numberUnavailable = counts.desired - counts.available;
    writeStatus(registry, 'apps/daemonsets', current, status);
  }
}
