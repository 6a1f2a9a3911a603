// Deployment → ReplicaSets: one ReplicaSet per pod template (`<name>-<pod-template-hash>`), rolling
// update or recreate between them, revisions, history cleanup, and the status rollout status reads.
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { controllerManager, controllerOf, ignoreGone, isControlledBy, isPodTerminal, refKey, splitKey, typeForKey, writeStatus } from './object-helpers.js';
import { newReplicaCount, newReplicaSet, replicaSetAnnotations, revisionAnnotation, revisionOf, runsTemplate, scaleDownOld, sumSpec } from './deployment-rollout.js';
import { deploymentStatus } from './deployment-status.js';
import { templateHash } from './template-hash.js';

const component = 'deployment-controller';

/** One reconcile's view of a Deployment and its ReplicaSets. */
interface Rollout {
  d: KubeObject;
  newRS?: KubeObject;
  old: KubeObject[];
  createdName?: string;
}

/** Rolls Deployments out through ReplicaSets and reports their status. */
export class DeploymentController extends QueueController {
  readonly name = component;

  protected keysFor(event: StoreEvent): string[] {
    const { store } = this.ctx.registry;
    const obj = event.object;
    if (event.key === 'apps/deployments') return [refKey(obj)];
    if (event.key === 'apps/replicasets') {
      const owner = controllerOf(obj) ?? (event.previous && controllerOf(event.previous));
      return owner?.kind === 'Deployment' ? [`${obj.metadata.namespace}/${owner.name}`] : [];
    }
    if (event.key === '/pods' && event.type === 'DELETED') {
      const rsRef = controllerOf(obj);
      const rs = rsRef?.kind === 'ReplicaSet' ? store.get('apps/replicasets', obj.metadata.namespace, rsRef.name) : undefined;
      const owner = rs && controllerOf(rs);
      return owner?.kind === 'Deployment' ? [`${obj.metadata.namespace}/${owner.name}`] : [];
    }
    return [];
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('apps/deployments').map(refKey);
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const d = this.ctx.registry.find(typeForKey(this.ctx.registry, 'apps/deployments'), ns, name);
    if (!d) return;
    const all = this.replicaSets(d);
    const r: Rollout = { d, newRS: all.find((rs) => runsTemplate(rs, d)), old: all.filter((rs) => !runsTemplate(rs, d)) };
    if (!d.metadata.deletionTimestamp) {
      if (d.spec?.paused) this.syncPaused(r);
      else if (d.spec?.strategy?.type === 'Recreate') this.rolloutRecreate(r);
      else this.rolloutRolling(r);
    }
    this.syncStatus(key, r.createdName);
  }

  private replicaSets(d: KubeObject): KubeObject[] {
    return this.ctx.registry.store.list('apps/replicasets', d.metadata.namespace).filter((rs) => isControlledBy(rs, d.metadata.uid));
  }

  /** Find or create the ReplicaSet for the current template, keeping revisions in step. */
  private ensureNewRS(r: Rollout, create: boolean): KubeObject | undefined {
    const { registry, events } = this.ctx;
    const revision = Math.max(0, ...r.old.map(revisionOf)) + 1;
    if (r.newRS) {
      if (revisionOf(r.newRS) < revision) r.newRS = this.scale(r.newRS, r.newRS.spec?.replicas ?? 0, r.d, revision);
      this.setDeploymentRevision(r.d, revisionOf(r.newRS));
      return r.newRS;
    }
    if (!create) return undefined;
    const rt = typeForKey(registry, 'apps/replicasets');
    const collisions = r.d.status?.collisionCount ?? 0;
    const hash = templateHash(r.d.spec?.template, collisions);
    if (registry.find(rt, r.d.metadata.namespace, `${r.d.metadata.name}-${hash}`)) {
      writeStatus(registry, 'apps/deployments', r.d, { ...(r.d.status ?? {}), collisionCount: collisions + 1 });
      return undefined;
    }
    const replicas = newReplicaCount(r.d, undefined, r.old);
    r.newRS = registry.create(rt, r.d.metadata.namespace, newReplicaSet(r.d, hash, replicas, revision), { fieldManager: controllerManager });
    r.createdName = r.newRS.metadata.name;
    if (replicas > 0) events.record(r.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${r.createdName} from 0 to ${replicas}`, component);
    this.setDeploymentRevision(r.d, revision);
    return r.newRS;
  }

  private setDeploymentRevision(d: KubeObject, revision: number): void {
    const { registry } = this.ctx;
    const rt = typeForKey(registry, 'apps/deployments');
    const current = registry.find(rt, d.metadata.namespace, d.metadata.name!);
    if (!current || current.metadata.annotations?.[revisionAnnotation] === String(revision)) return;
    current.metadata.annotations = { ...(current.metadata.annotations ?? {}), [revisionAnnotation]: String(revision) };
    ignoreGone(() => registry.update(rt, d.metadata.namespace, d.metadata.name!, current, { fieldManager: controllerManager }));
  }

  /** Set a ReplicaSet's replicas (and bookkeeping annotations); records ScalingReplicaSet on size changes. */
  private scale(rs: KubeObject, replicas: number, d: KubeObject, revision = revisionOf(rs)): KubeObject {
    const { registry, events } = this.ctx;
    const from = rs.spec?.replicas ?? 0;
    const bookkeeping = replicaSetAnnotations(d, revision);
    const keep = runsTemplate(rs, d) ? Object.keys(bookkeeping) : Object.keys(bookkeeping).filter((k) => k.startsWith('deployment.kubernetes.io/'));
    const annotations = { ...(rs.metadata.annotations ?? {}), ...Object.fromEntries(keep.map((k) => [k, bookkeeping[k]])) };
    const next = { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas } };
    const updated = registry.update(typeForKey(registry, 'apps/replicasets'), rs.metadata.namespace, rs.metadata.name!, next, { fieldManager: controllerManager });
    if (from !== replicas) {
      const dir = replicas > from ? 'up' : 'down';
      events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name} from ${from} to ${replicas}`, component);
    }
    return updated;
  }

  private rolloutRolling(r: Rollout): void {
    const newRS = this.ensureNewRS(r, true);
    if (!newRS) return;
    const target = newReplicaCount(r.d, newRS, [newRS, ...r.old]);
    if (target !== newRS.spec?.replicas) {
      this.scale(newRS, target, r.d);
      return;
    }
    const plan = scaleDownOld(r.d, newRS, r.old);
    let scaledDown = false;
    for (const rs of r.old) {
      const size = plan.get(rs.metadata.name!);
      if (size === undefined || size === rs.spec?.replicas) continue;
      this.scale(rs, size, r.d);
      scaledDown = true;
    }
    if (!scaledDown) this.cleanupIfComplete(r);
  }

  private rolloutRecreate(r: Rollout): void {
    const { store } = this.ctx.registry;
    this.ensureNewRS(r, false);
    const active = r.old.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    for (const rs of active) this.scale(rs, 0, r.d);
    if (active.length) return;
    const oldUids = new Set(r.old.map((rs) => rs.metadata.uid));
    const running = r.old.some((rs) => (rs.status?.replicas ?? 0) > 0) ||
      store.list('/pods', r.d.metadata.namespace).some((p) => oldUids.has(controllerOf(p)?.uid) && !isPodTerminal(p));
    if (running) return;
    const newRS = this.ensureNewRS(r, true);
    const desired = r.d.spec?.replicas ?? 1;
    if (newRS && newRS.spec?.replicas !== desired) this.scale(newRS, desired, r.d);
    else this.cleanupIfComplete(r);
  }

  /** Paused: no new ReplicaSet, but scaling still applies to the active (or latest) one. */
  private syncPaused(r: Rollout): void {
    this.ensureNewRS(r, false);
    const all = r.newRS ? [r.newRS, ...r.old] : r.old;
    const active = all.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    if (active.length > 1) return;
    const target = active[0] ?? r.newRS ?? [...r.old].sort((a, b) => revisionOf(b) - revisionOf(a))[0];
    const desired = r.d.spec?.replicas ?? 1;
    if (target && target.spec?.replicas !== desired) this.scale(target, desired, r.d);
  }

  /** Delete old, empty ReplicaSets beyond revisionHistoryLimit once the rollout is complete. */
  private cleanupIfComplete(r: Rollout): void {
    const { registry } = this.ctx;
    const desired = r.d.spec?.replicas ?? 1;
    if (!r.newRS || (r.newRS.status?.availableReplicas ?? 0) < desired || sumSpec(r.old) > 0) return;
    const limit = r.d.spec?.revisionHistoryLimit ?? 10;
    const empty = r.old
      .filter((rs) => !rs.metadata.deletionTimestamp && (rs.status?.replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const rt = typeForKey(registry, 'apps/replicasets');
    for (const rs of empty.slice(0, Math.max(0, r.old.length - limit))) {
      ignoreGone(() => registry.delete(rt, rs.metadata.namespace, rs.metadata.name!));
    }
  }

  private syncStatus(key: string, createdName: string | undefined): void {
    const { registry, clock } = this.ctx;
    const [ns, name] = splitKey(key);
    const d = registry.find(typeForKey(registry, 'apps/deployments'), ns, name);
    if (!d) return;
    const all = this.replicaSets(d);
    const newRS = all.find((rs) => runsTemplate(rs, d));
    const { status, requeueAfterMs } = deploymentStatus({ d, newRS, all, now: clock.now(), createdName });
    writeStatus(registry, 'apps/deployments', d, status);
    if (requeueAfterMs !== undefined) this.queue.addAfter(key, requeueAfterMs + 10);
  }
}
