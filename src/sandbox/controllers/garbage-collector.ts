// The garbage collector: deletes dependents whose owners are gone (background), deletes dependents
// before their owner under foregroundDeletion, and strips owner references under the orphan finalizer.
import { parseApiVersion } from '../api/resource-types.js';
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject, OwnerReference } from '../types.js';
import { QueueController } from './queue-controller.js';
import { ignoreGone, typeForKey } from './object-helpers.js';

const foreground = 'foregroundDeletion';
const orphan = 'orphan';

/** How a dependent sees one of its owners. */
type OwnerState = 'solid' | 'absent' | 'waiting' | 'unknown';

const gcKey = (storeKey: string, obj: KubeObject) => `${storeKey}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`;
const hasFinalizer = (obj: KubeObject, f: string) => (obj.metadata.finalizers ?? []).includes(f);

/** Cascading deletion through ownerReferences (background, foreground and orphan propagation). */
export class GarbageCollector extends QueueController {
  readonly name = 'garbage-collector';

  protected keysFor(event: StoreEvent): string[] {
    const obj = event.object;
    if (event.type === 'DELETED') {
      const keys = this.dependentsOf(obj).map(([key, dep]) => gcKey(key, dep));
      for (const ref of obj.metadata.ownerReferences ?? []) {
        const owner = this.findOwner(ref, obj.metadata.namespace);
        if (owner?.obj.metadata.deletionTimestamp) keys.push(gcKey(owner.key, owner.obj));
      }
      return keys;
    }
    const keys: string[] = [];
    if (obj.metadata.ownerReferences?.length) keys.push(gcKey(event.key, obj));
    if (obj.metadata.deletionTimestamp && (hasFinalizer(obj, foreground) || hasFinalizer(obj, orphan))) {
      keys.push(gcKey(event.key, obj), ...this.dependentsOf(obj).map(([key, dep]) => gcKey(key, dep)));
    }
    return keys;
  }

  protected initialKeys(): string[] {
    const keys: string[] = [];
    for (const [key, obj] of this.ctx.registry.store.entries()) {
      if (obj.metadata.ownerReferences?.length || obj.metadata.deletionTimestamp) keys.push(gcKey(key, obj));
    }
    return keys;
  }

  protected reconcile(queueKey: string): void {
    const [storeKey, ns, name] = queueKey.split('|');
    const obj = this.ctx.registry.store.get(storeKey, ns || undefined, name);
    if (!obj) return;
    if (obj.metadata.deletionTimestamp) {
      if (hasFinalizer(obj, orphan)) this.orphanDependents(storeKey, obj);
      else if (hasFinalizer(obj, foreground)) this.deleteDependentsFirst(storeKey, obj);
    }
    if (obj.metadata.ownerReferences?.length) this.checkOwners(storeKey, obj);
  }

  /** Objects whose ownerReferences point at `owner` (same namespace for a namespaced owner). */
  private dependentsOf(owner: KubeObject): [string, KubeObject][] {
    const out: [string, KubeObject][] = [];
    const uid = owner.metadata.uid;
    const ns = owner.metadata.namespace;
    for (const [key, obj] of this.ctx.registry.store.entries()) {
      if (ns && obj.metadata.namespace !== ns) continue;
      if (obj.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push([key, obj]);
    }
    return out;
  }

  private findOwner(ref: OwnerReference, namespace: string | undefined): { key: string; obj: KubeObject } | undefined | null {
    const { types, store } = this.ctx.registry;
    const { group, version } = parseApiVersion(ref.apiVersion);
    const rt = types.byKind(group, version, ref.kind) ?? types.all().find((t) => t.group === group && t.kind === ref.kind);
    if (!rt) return null;
    const key = types.keyOf(rt);
    const obj = store.get(key, rt.namespaced ? namespace : undefined, ref.name);
    return obj && obj.metadata.uid === ref.uid ? { key, obj } : undefined;
  }

  private ownerState(ref: OwnerReference, namespace: string | undefined): OwnerState {
    const owner = this.findOwner(ref, namespace);
    if (owner === null) return 'unknown';
    if (!owner) return 'absent';
    return owner.obj.metadata.deletionTimestamp && hasFinalizer(owner.obj, foreground) ? 'waiting' : 'solid';
  }

  /** A dependent with no solid owner left is deleted; references to vanished owners are dropped. */
  private checkOwners(storeKey: string, obj: KubeObject): void {
    const { registry } = this.ctx;
    const rt = typeForKey(registry, storeKey);
    const refs = obj.metadata.ownerReferences ?? [];
    const states = refs.map((r) => this.ownerState(r, obj.metadata.namespace));
    if (states.some((s) => s === 'solid' || s === 'unknown')) {
      if (!states.includes('absent')) return;
      obj.metadata.ownerReferences = refs.filter((_, i) => states[i] !== 'absent');
      ignoreGone(() => registry.update(rt, obj.metadata.namespace, obj.metadata.name!, obj, { fieldManager: 'generic-garbage-collector' }));
      return;
    }
    if (obj.metadata.deletionTimestamp) return;
    const cascade = states.includes('waiting') && this.dependentsOf(obj).length ? 'Foreground' : 'Background';
    ignoreGone(() => registry.delete(rt, obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: cascade }));
  }

  /** Foreground: queue the dependents for deletion; drop the finalizer once no blocking dependent remains. */
  private deleteDependentsFirst(storeKey: string, owner: KubeObject): void {
    const deps = this.dependentsOf(owner);
    for (const [key, dep] of deps) this.queue.add(gcKey(key, dep));
    const blocking = deps.filter(([, dep]) => dep.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid && r.blockOwnerDeletion));
    if (!blocking.length) this.removeFinalizer(storeKey, owner, foreground);
  }

  /** Orphan: strip the owner's reference from every dependent, then drop the finalizer. */
  private orphanDependents(storeKey: string, owner: KubeObject): void {
    const { registry } = this.ctx;
    for (const [key, dep] of this.dependentsOf(owner)) {
      const refs = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
      const next = structuredClone(dep);
      if (refs.length) next.metadata.ownerReferences = refs;
      else delete next.metadata.ownerReferences;
      ignoreGone(() => registry.update(typeForKey(registry, key), dep.metadata.namespace, dep.metadata.name!, next, { fieldManager: 'generic-garbage-collector' }));
    }
    this.removeFinalizer(storeKey, owner, orphan);
  }

  private removeFinalizer(storeKey: string, obj: KubeObject, finalizer: string): void {
    const { registry } = this.ctx;
    const rt = typeForKey(registry, storeKey);
    const current = registry.find(rt, obj.metadata.namespace, obj.metadata.name!);
    if (!current || !hasFinalizer(current, finalizer)) return;
    const rest = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (rest.length) current.metadata.finalizers = rest;
    else delete current.metadata.finalizers;
    ignoreGone(() => registry.update(rt, current.metadata.namespace, current.metadata.name!, current, { fieldManager: 'generic-garbage-collector' }));
  }
}
