// CustomResourceDefinitions: serve their types once accepted, report Established, and on deletion
// remove every custom resource before the CRD itself goes away.
import { ApiError } from '../api/status.js';
import type { StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { QueueController } from './queue-controller.js';
import { ignoreGone, setCondition, typeForKey, writeStatus } from './object-helpers.js';
import { crdHooks } from './crd-validation.js';

const crdKey = 'apiextensions.k8s.io/customresourcedefinitions';
const recheckMs = 250;

/** CRD name (`<plural>.<group>`) for a custom resource storage key (`<group>/<plural>`). */
function crdNameOfKey(key: string): string {
  const i = key.indexOf('/');
  return `${key.slice(i + 1)}.${key.slice(0, i)}`;
}

/** Establishes CRDs and cleans up their custom resources on deletion. */
export class CrdController extends QueueController {
  readonly name = 'apiextensions-controller';

  protected override setup(): void {
    const { registry } = this.ctx;
    registry.registerHooks(crdKey, crdHooks());
    registry.registerMutator((op, key) => {
      if (op !== 'CREATE' || !key.includes('.') || key === crdKey) return;
      if (registry.store.get(crdKey, undefined, crdNameOfKey(key))?.metadata.deletionTimestamp) {
        throw new ApiError(405, 'MethodNotAllowed', 'create not allowed while custom resource definition is terminating');
      }
    });
  }

  protected keysFor(event: StoreEvent): string[] {
    const { types, store } = this.ctx.registry;
    if (event.key === crdKey) {
      // Serving starts (and stops) with the committed change itself, so a client that created the CRD can use it at once.
      if (event.type === 'DELETED') types.removeCrd(event.object.metadata.name!);
      else types.upsertCrd(event.object);
      return event.type === 'DELETED' ? [] : [event.object.metadata.name!];
    }
    if (event.type !== 'DELETED' || !event.key.includes('.')) return [];
    const name = crdNameOfKey(event.key);
    return store.get(crdKey, undefined, name)?.metadata.deletionTimestamp ? [name] : [];
  }

  protected initialKeys(): string[] {
    return this.ctx.registry.store.list(crdKey).map((c) => c.metadata.name!);
  }

  protected reconcile(name: string): void {
    const { registry } = this.ctx;
    const rt = typeForKey(registry, crdKey);
    const crd = registry.find(rt, undefined, name);
    if (!crd) return;
    if (crd.metadata.deletionTimestamp) return this.cleanup(crd);
    registry.types.upsertCrd(crd);
    const now = registry.now();
    const names = crd.spec.names;
    let conditions = setCondition(crd.status?.conditions, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, now);
    conditions = setCondition(conditions, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
    const storage = (crd.spec.versions ?? []).find((v: any) => v.storage)?.name;
    const stored = [...new Set([...(crd.status?.storedVersions ?? []), ...(storage ? [storage] : [])])];
    const acceptedNames = Object.fromEntries(
      ['plural', 'singular', 'shortNames', 'kind', 'listKind', 'categories'].filter((k) => names[k] !== undefined).map((k) => [k, names[k]]),
    );
    writeStatus(registry, crdKey, crd, { ...(crd.status ?? {}), conditions, acceptedNames, storedVersions: stored });
  }

  private cleanup(crd: KubeObject): void {
    const { registry } = this.ctx;
    const key = `${crd.spec.group}/${crd.spec.names.plural}`;
    const conditions = setCondition(crd.status?.conditions, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }, registry.now());
    ignoreGone(() => writeStatus(registry, crdKey, crd, { ...(crd.status ?? {}), conditions }));
    const left = registry.store.list(key);
    if (left.length) {
      const crRt = registry.types.all().find((t) => t.custom && registry.types.keyOf(t) === key);
      for (const obj of left) {
        if (obj.metadata.deletionTimestamp) continue;
        if (crRt) ignoreGone(() => registry.delete(crRt, obj.metadata.namespace, obj.metadata.name!));
        else registry.store.remove(key, obj.metadata.namespace, obj.metadata.name!);
      }
      if (registry.store.list(key).length) return this.queue.addAfter(crd.metadata.name!, recheckMs);
    }
    if ((crd.metadata.finalizers ?? []).length) return;
    registry.finalize(typeForKey(registry, crdKey), undefined, crd.metadata.name!);
  }
}
