// ControllerRevisions: the template history StatefulSets and DaemonSets keep (`kubectl rollout history`).
import type { KubeObject } from '../types.js';
import type { Registry } from '../api/registry.js';
import { controllerManager, controllerRef, isControlledBy, typeForKey } from './object-helpers.js';
import { templateHash } from './template-hash.js';

/** `<owner>-<hash>`: the controller-revision-hash label value for the owner's current template. */
export function currentRevisionName(owner: KubeObject): string {
  return `${owner.metadata.name}-${templateHash(owner.spec?.template)}`;
}

/** Make sure a ControllerRevision for the owner's current template exists; returns its name. */
export function ensureControllerRevision(registry: Registry, owner: KubeObject): string {
  const name = currentRevisionName(owner);
  const rt = typeForKey(registry, 'apps/controllerrevisions');
  const ns = owner.metadata.namespace;
  if (registry.find(rt, ns, name)) return name;
  const revisions = registry.store.list('apps/controllerrevisions', ns).filter((r) => isControlledBy(r, owner.metadata.uid));
  const revision = Math.max(0, ...revisions.map((r) => Number(r.revision) || 0)) + 1;
  const labels = { ...(owner.spec?.template?.metadata?.labels ?? {}), 'controller.kubernetes.io/hash': name.slice(owner.metadata.name!.length + 1) };
  registry.create(
    rt,
    ns,
    {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name, namespace: ns, labels, ownerReferences: [controllerRef(owner)] },
      data: { spec: { template: { ...structuredClone(owner.spec?.template ?? {}), $patch: 'replace' } } },
      revision,
    },
    { fieldManager: controllerManager },
  );
  return name;
}
