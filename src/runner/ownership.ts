// Ownership marks: what istio-lab puts on every object it creates, and how it recognises them.
import type { KubeObject, ObjectRef } from '../cluster/types.js';

/** Label on every object istio-lab creates. */
export const managedByLabel = 'app.kubernetes.io/managed-by';
/** Value of {@link managedByLabel}. */
export const managedByValue = 'istio-lab';
/** Annotation naming the lab (`track/name`) that created the object. */
export const labAnnotation = 'istio-lab.dev/lab';
/** Annotation naming the step that created the object. */
export const stepAnnotation = 'istio-lab.dev/step';
/** Field manager for server-side apply. */
export const fieldManager = 'istio-lab';

/** A copy of `obj` carrying istio-lab's ownership label and lab/step annotations. */
export function markOwned(obj: KubeObject, lab: string, step: string): KubeObject {
  const out = structuredClone(obj);
  out.metadata = { ...out.metadata };
  out.metadata.labels = { ...(out.metadata.labels ?? {}), [managedByLabel]: managedByValue };
  out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [labAnnotation]: lab, [stepAnnotation]: step };
  return out;
}

/** True if istio-lab created this object. */
export function isOwned(obj: KubeObject | undefined): boolean {
  return obj?.metadata?.labels?.[managedByLabel] === managedByValue;
}

/** `deployment.apps/web` / `namespace/demo`, as kubectl names objects. */
export function describeRef(ref: ObjectRef): string {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const kind = ref.kind.toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${ref.name}`;
}

/** The ObjectRef of an object. */
export function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name!, namespace: obj.metadata.namespace };
}

const defaultApiVersions: Record<string, string> = {
  Namespace: 'v1', Pod: 'v1', Service: 'v1', ConfigMap: 'v1', Secret: 'v1', ServiceAccount: 'v1', Endpoints: 'v1', Node: 'v1',
  Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1',
  VirtualService: 'networking.istio.io/v1', DestinationRule: 'networking.istio.io/v1', Gateway: 'networking.istio.io/v1',
  ServiceEntry: 'networking.istio.io/v1', Sidecar: 'networking.istio.io/v1', EnvoyFilter: 'networking.istio.io/v1alpha3',
  PeerAuthentication: 'security.istio.io/v1', AuthorizationPolicy: 'security.istio.io/v1', RequestAuthentication: 'security.istio.io/v1',
  Telemetry: 'telemetry.istio.io/v1', CustomResourceDefinition: 'apiextensions.k8s.io/v1',
};

/** apiVersion for a kind when a lab's target leaves it out. */
export function defaultApiVersion(kind: string): string {
  return defaultApiVersions[kind] ?? 'v1';
}
