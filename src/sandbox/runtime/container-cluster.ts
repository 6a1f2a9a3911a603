// The read-only API view a Kubernetes-client image gets (Prometheus service discovery, Kiali's namespace
// list, ConfigMaps mounted as volumes), plus Warning events about what a model does not emulate.
// Reads are not RBAC-checked: the addons' ClusterRoles grant get/list on what they read.
import type { Registry } from '../api/registry.js';
import type { EventRecorder } from '../controllers/controller.js';
import type { KubeObject } from '../types.js';
import type { ContainerCluster } from '../workloads/model.js';

/** `pods` → core/v1; `apps/v1/deployments` → that group and version. */
function typeOf(registry: Registry, resource: string) {
  const parts = resource.split('/');
  const rt = parts.length === 3 ? registry.types.byResource(parts[0], parts[1], parts[2]) : registry.types.byResource('', 'v1', resource);
  if (!rt) throw new Error(`the sandbox API serves no resource "${resource}"`);
  return rt;
}

/** The API view for containers of `pod`. */
export function createContainerCluster(registry: Registry, events: EventRecorder, pod: KubeObject): ContainerCluster {
  return {
    list: (resource, namespace) => registry.list(typeOf(registry, resource), namespace),
    get: (resource, namespace, name) => registry.find(typeOf(registry, resource), namespace, name),
    warn: (reason, message) => events.record(pod, 'Warning', reason, message, 'kubelet'),
  };
}
