// A container's environment as the kubelet builds it at start: PATH and HOSTNAME, envFrom and env
// (values, $(VAR) references, downward API, ConfigMap/Secret keys), the kubernetes service links, HOME.
import type { KubeObject } from '../types.js';
import type { ContainerSpec } from '../workloads/model.js';

/** Reads a ConfigMap or Secret (`configmaps` / `secrets`) in the pod's namespace, or undefined. */
export type ObjectLookup = (resource: 'configmaps' | 'secrets', namespace: string, name: string) => KubeObject | undefined;

/** The API server's ClusterIP in the default namespace, as service links report it. */
export const KUBERNETES_SERVICE_HOST = '10.96.0.1';
/** The default PATH of the sample images. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Resolves `container`'s environment in `pod` (whose status.podIP/hostIP are already set). */
export function resolveContainerEnv(pod: KubeObject, container: ContainerSpec, lookup: ObjectLookup): Record<string, string> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: pod.spec?.hostname ?? pod.metadata.name ?? '' };
  const ns = pod.metadata.namespace ?? 'default';
  const links = serviceLinks();
  const mapping = (name: string) => env[name] ?? links[name];
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const obj = ref?.name ? lookup(source.configMapRef ? 'configmaps' : 'secrets', ns, ref.name) : undefined;
    for (const [key, value] of Object.entries(dataOf(obj))) {
      const name = `${source.prefix ?? ''}${key}`;
      if (/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) env[name] = value;
    }
  }
  for (const v of container.env ?? []) {
    if (!v?.name) continue;
    const value = v.valueFrom ? valueFrom(pod, container, v.valueFrom, lookup) : expand(String(v.value ?? ''), mapping);
    if (value !== undefined) env[v.name] = value;
  }
  for (const [k, v] of Object.entries(links)) if (!(k in env)) env[k] = v;
  if (!('HOME' in env)) env.HOME = '/root';
  return env;
}

/** The variables `enableServiceLinks` adds for the `kubernetes` Service. */
function serviceLinks(): Record<string, string> {
  const host = KUBERNETES_SERVICE_HOST;
  return {
    KUBERNETES_SERVICE_HOST: host,
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: `tcp://${host}:443`,
    KUBERNETES_PORT_443_TCP: `tcp://${host}:443`,
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: host,
  };
}

/** Kubernetes' $(VAR) expansion: defined references are replaced, `$$` escapes, others stay literal. */
export function expand(value: string, mapping: (name: string) => string | undefined): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (!name) return '$';
    return mapping(name) ?? whole;
  });
}

/** env[].valueFrom: fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef (undefined = unresolvable). */
function valueFrom(pod: KubeObject, container: ContainerSpec, from: any, lookup: ObjectLookup): string | undefined {
  if (from.fieldRef?.fieldPath) return fieldValue(pod, from.fieldRef.fieldPath);
  if (from.resourceFieldRef?.resource) {
    const [kind, resource] = String(from.resourceFieldRef.resource).split('.');
    const target = from.resourceFieldRef.containerName ? pod.spec?.containers?.find((c: any) => c.name === from.resourceFieldRef.containerName) : container;
    return String(target?.resources?.[kind]?.[resource] ?? '0');
  }
  const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
  if (keyRef?.name && keyRef.key) {
    const obj = lookup(from.configMapKeyRef ? 'configmaps' : 'secrets', pod.metadata.namespace ?? 'default', keyRef.name);
    return dataOf(obj)[keyRef.key];
  }
  return undefined;
}

/** The downward API's fieldRef paths. */
function fieldValue(pod: KubeObject, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]];
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec?.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP':
      return pod.status?.podIP;
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((p: any) => p.ip).join(',') || pod.status?.podIP;
    case 'status.hostIP':
      return pod.status?.hostIP;
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((p: any) => p.ip).join(',') || pod.status?.hostIP;
  }
  return undefined;
}

/** A ConfigMap's data (and binaryData) or a Secret's decoded data. */
function dataOf(obj: KubeObject | undefined): Record<string, string> {
  if (!obj) return {};
  if (obj.kind === 'Secret') {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj.data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
    for (const [k, v] of Object.entries(obj.stringData ?? {})) out[k] = String(v);
    return out;
  }
  const out: Record<string, string> = { ...(obj.data ?? {}) };
  for (const [k, v] of Object.entries(obj.binaryData ?? {})) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  return out;
}
