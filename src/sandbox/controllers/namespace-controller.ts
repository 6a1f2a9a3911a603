// Namespace deletion: mark Terminating, delete every namespaced object in it, then drop the
// `kubernetes` finalizer and remove the namespace once nothing is left.
import { formatGroupResource } from '../api/status.js';
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { controllerManager, ignoreGone, typeForKey, writeStatus, type Condition } from './object-helpers.js';

const recheckMs = 250;

/** Drains terminating namespaces. */
export class NamespaceController extends QueueController {
  readonly name = 'namespace-controller';

  protected keysFor(event: StoreEvent): string[] {
    const obj = event.object;
    if (event.key === '/namespaces') return event.type !== 'DELETED' && obj.metadata.deletionTimestamp ? [obj.metadata.name!] : [];
    const ns = obj.metadata.namespace;
    if (!ns || event.type !== 'DELETED') return [];
    return this.ctx.registry.store.get('/namespaces', undefined, ns)?.metadata.deletionTimestamp ? [ns] : [];
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list('/namespaces').filter((n) => n.metadata.deletionTimestamp).map((n) => n.metadata.name!);
  }

  /** Storage keys of every namespaced type currently served (each once). */
  private namespacedKeys(): string[] {
    const { types } = this.ctx.registry;
    return [...new Set(types.all().filter((t) => t.namespaced).map((t) => types.keyOf(t)))];
  }

  protected reconcile(name: string): void {
    const { registry } = this.ctx;
    const rt = typeForKey(registry, '/namespaces');
    const ns = registry.find(rt, undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    for (const key of this.namespacedKeys()) {
      const objRt = typeForKey(registry, key);
      for (const obj of registry.store.list(key, name)) {
        if (!obj.metadata.deletionTimestamp) ignoreGone(() => registry.delete(objRt, name, obj.metadata.name!, { propagationPolicy: 'Background' }));
      }
    }
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const key of this.namespacedKeys()) {
      const objects = registry.store.list(key, name);
      if (!objects.length) continue;
      const t = typeForKey(registry, key);
      remaining.set(`${formatGroupResource(t.group, t.plural)}${t.group ? '' : '.'}`, objects.length);
      for (const o of objects) for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    }
    this.writeTerminatingStatus(ns, remaining, finalizers);
    if (remaining.size) {
      this.queue.addAfter(name, recheckMs);
      return;
    }
    const current = registry.find(rt, undefined, name)!;
    if ((current.spec?.finalizers ?? []).includes('kubernetes')) {
      current.spec = { ...current.spec, finalizers: current.spec.finalizers.filter((f: string) => f !== 'kubernetes') };
      registry.update(rt, undefined, name, current, { fieldManager: controllerManager, subresource: 'finalize' });
    }
    const latest = registry.find(rt, undefined, name);
    if (latest && !(latest.spec?.finalizers ?? []).length && !(latest.metadata.finalizers ?? []).length) registry.finalize(rt, undefined, name);
  }

  private writeTerminatingStatus(ns: KubeObject, remaining: Map<string, number>, finalizers: Map<string, number>): void {
    const now = this.ctx.registry.now();
    const cond = (type: string, status: Condition['status'], reason: string, message: string): Condition => {
      const prev = (ns.status?.conditions ?? []).find((c: Condition) => c.type === type);
      return { type, status, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : now, reason, message };
    };
    const list = (m: Map<string, number>, sep: string) => [...m].map(([k, n]) => `${k}${sep}${n} resource instances`).join(', ');
    const conditions = [
      cond('NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'),
      cond('NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
      cond('NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
      remaining.size
        ? cond('NamespaceContentRemaining', 'True', 'SomeResourcesRemain', `Some resources are remaining: ${list(remaining, ' has ')}`)
        : cond('NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'),
      finalizers.size
        ? cond('NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${list(finalizers, ' in ')}`)
        : cond('NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
    ];
    ignoreGone(() => writeStatus(this.ctx.registry, '/namespaces', ns, { ...(ns.status ?? {}), phase: 'Terminating', conditions }));
  }
}
