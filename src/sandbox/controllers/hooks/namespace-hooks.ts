// Namespace defaults (phase, metadata.name label, the kubernetes finalizer) and the immortal system namespaces.
import type { KindHooks } from '../../api/registry.js';
import { ApiError } from '../../api/status.js';

/** Namespaces the NamespaceLifecycle admission plugin refuses to delete. */
export const immortalNamespaces = ['default', 'kube-system', 'kube-public'];

/** Hooks for `/namespaces`. */
export function namespaceHooks(): KindHooks {
  return {
    default(ns) {
      ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name! };
      ns.spec ??= {};
      ns.spec.finalizers ??= ['kubernetes'];
      ns.status ??= {};
      ns.status.phase ??= 'Active';
    },
    // Namespaces always terminate through the NamespaceController; returning true also keeps a
    // terminating namespace stored while its content drains.
    deleteGracefully(ns) {
      const name = ns.metadata.name!;
      if (immortalNamespaces.includes(name)) {
        throw new ApiError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
      }
      ns.metadata.deletionGracePeriodSeconds ??= 0;
      return true;
    },
  };
}
