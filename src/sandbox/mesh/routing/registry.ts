// The service registry a proxy is programmed with: Kubernetes Services and ServiceEntries (§9),
// their ports, addresses and endpoints (ready pods, §1.8), with targetPort resolution.
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { expandHost, hostCovers, isIp } from './hosts.js';

/** One port of a registry service. */
export interface ServicePort {
  port: number;
  name?: string;
  protocol?: string;
  /** The Service port as written (targetPort resolution needs it). */
  raw: any;
}

/** A host in the registry: a Kubernetes Service or one ServiceEntry host. */
export interface MeshService {
  kind: 'service' | 'serviceEntry';
  hostname: string;
  namespace: string;
  /** Kubernetes Service name (short-name domains, §1.2); absent for ServiceEntries. */
  name?: string;
  object: KubeObject;
  ports: ServicePort[];
  addresses: string[];
}

/** A load-balancing endpoint: a pod's port, or an address outside the cluster. */
export interface Endpoint {
  key: string;
  address: string;
  port: number;
  labels: Record<string, string>;
  pod?: KubeObject;
  /** Authority handed to `external` (`host:port`); for wildcard ServiceEntries the request host is used. */
  external?: string;
}

/** Every registry host, Services first, ServiceEntries after, in a stable order. */
export function listServices(snap: MeshSnapshot): MeshService[] {
  return cached(snap, 'services', () => [...snap.services.map((s) => fromService(s, snap.domain)), ...snap.serviceEntries.flatMap(fromServiceEntry)]);
}

/** The registry entry for a fully-qualified host (exact first, then a wildcard ServiceEntry). */
export function findService(snap: MeshSnapshot, hostname: string): MeshService | undefined {
  const all = listServices(snap);
  return all.find((s) => s.hostname === hostname) ?? all.find((s) => s.hostname.startsWith('*.') && hostCovers(s.hostname, hostname));
}

/** True when the pod runs an istio-proxy sidecar (classic container or native init sidecar, §7). */
export function hasSidecar(pod: KubeObject | undefined): boolean {
  if (!pod) return false;
  if ((pod.spec?.containers ?? []).some((c: any) => c.name === 'istio-proxy')) return true;
  return (pod.spec?.initContainers ?? []).some((c: any) => c.name === 'istio-proxy' && c.restartPolicy === 'Always');
}

/** The pod's Ready condition is True and it is not terminating. */
export function isEndpointReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp || !pod.status?.podIP) return false;
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Ready endpoints of `svc` on service port `port`, narrowed to pods carrying `labels` (a subset, §5). */
export function endpointsOf(snap: MeshSnapshot, svc: MeshService, port: ServicePort, labels: Record<string, string> = {}): Endpoint[] {
  const out = svc.kind === 'service' ? serviceEndpoints(snap, svc, port) : entryEndpoints(snap, svc, port);
  return out.filter((e) => Object.entries(labels).every(([k, v]) => e.labels[k] === v)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Services in the pod's namespace whose selector picks the pod. */
export function servicesSelecting(snap: MeshSnapshot, pod: KubeObject): KubeObject[] {
  return snap.services.filter((s) => s.metadata.namespace === pod.metadata.namespace && selects(s.spec?.selector, pod.metadata.labels));
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || !Object.keys(selector).length) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function fromService(s: KubeObject, domain: string): MeshService {
  const ns = s.metadata.namespace ?? 'default';
  const ips = [s.spec?.clusterIP, ...(s.spec?.clusterIPs ?? [])].filter((ip) => ip && ip !== 'None');
  return {
    kind: 'service',
    hostname: `${s.metadata.name}.${ns}.svc.${domain}`,
    namespace: ns,
    name: s.metadata.name,
    object: s,
    ports: (s.spec?.ports ?? []).map((p: any) => ({ port: p.port, name: p.name, protocol: p.appProtocol ?? p.protocol, raw: p })),
    addresses: [...new Set<string>(ips)],
  };
}

function fromServiceEntry(se: KubeObject): MeshService[] {
  const ns = se.metadata.namespace ?? 'default';
  const ports = (se.spec?.ports ?? []).map((p: any) => ({ port: p.number, name: p.name, protocol: p.protocol, raw: { ...p, port: p.number, targetPort: p.targetPort ?? p.number } }));
  return (se.spec?.hosts ?? []).map((h: string) => ({
    kind: 'serviceEntry' as const,
    hostname: h.toLowerCase(),
    namespace: ns,
    object: se,
    ports,
    addresses: se.spec?.addresses ?? [],
  }));
}

/** Resolve a Service port's targetPort on a pod: numbers as is, names through the containers' named ports. */
export function resolveTargetPort(svcPort: any, pod: KubeObject): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (/^\d+$/.test(String(target))) return Number(target);
  const proto = svcPort.protocol ?? 'TCP';
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  return undefined;
}

function podEndpoint(pod: KubeObject, port: number): Endpoint {
  return { key: `${pod.status.podIP}:${port}`, address: pod.status.podIP, port, labels: pod.metadata.labels ?? {}, pod };
}

function serviceEndpoints(snap: MeshSnapshot, svc: MeshService, port: ServicePort): Endpoint[] {
  const spec = svc.object.spec ?? {};
  if (spec.type === 'ExternalName' && spec.externalName) {
    const authority = `${expandHost(spec.externalName, svc.namespace, snap.domain)}:${port.port}`;
    return [{ key: authority, address: spec.externalName, port: port.port, labels: {}, external: authority }];
  }
  const out: Endpoint[] = [];
  for (const pod of snap.pods) {
    if (pod.metadata.namespace !== svc.namespace || !selects(spec.selector, pod.metadata.labels) || !isEndpointReady(pod)) continue;
    const target = resolveTargetPort(port.raw, pod);
    if (target !== undefined) out.push(podEndpoint(pod, target));
  }
  return out;
}

function entryEndpoints(snap: MeshSnapshot, svc: MeshService, port: ServicePort): Endpoint[] {
  const spec = svc.object.spec ?? {};
  const target = Number(port.raw.targetPort ?? port.port);
  if (spec.workloadSelector?.labels) {
    return snap.pods.filter((p) => p.metadata.namespace === svc.namespace && isEndpointReady(p) && selects(spec.workloadSelector.labels, p.metadata.labels)).map((p) => podEndpoint(p, target));
  }
  if (Array.isArray(spec.endpoints) && spec.endpoints.length) {
    return spec.endpoints.map((e: any) => {
      const epPort = Number(e.ports?.[port.name ?? ''] ?? target);
      const pod = podByIp(snap, e.address);
      if (pod && isEndpointReady(pod)) return { ...podEndpoint(pod, epPort), labels: { ...(pod.metadata.labels ?? {}), ...(e.labels ?? {}) } };
      const authority = isIp(e.address) && e.address.includes(':') ? `[${e.address}]:${epPort}` : `${e.address}:${epPort}`;
      return { key: authority, address: e.address, port: epPort, labels: e.labels ?? {}, external: authority };
    });
  }
  const host = svc.hostname.startsWith('*') ? '' : svc.hostname;
  const authority = host ? `${host}:${target}` : '';
  return [{ key: authority || `*:${target}`, address: host || '*', port: target, labels: {}, external: authority }];
}

const caches = new WeakMap<MeshSnapshot, Map<string, unknown>>();
const objectCaches = new WeakMap<MeshSnapshot, WeakMap<object, Map<string, unknown>>>();

/** The pod with this IP in the snapshot (an index built once per snapshot). */
export function podByIp(snap: MeshSnapshot, ip: string): KubeObject | undefined {
  return cached(snap, 'pods-by-ip', () => new Map(snap.pods.map((p) => [p.status?.podIP, p]))).get(ip);
}

/** Memoise a value derived from one snapshot (snapshots are immutable once handed out). */
export function cached<T>(snap: MeshSnapshot, key: string, build: () => T): T {
  let m = caches.get(snap);
  if (!m) caches.set(snap, (m = new Map()));
  let v = m.get(key) as T | undefined;
  if (v === undefined && !m.has(key)) m.set(key, (v = build()));
  return v as T;
}

function objectCache(snap: MeshSnapshot, obj: object): Map<string, unknown> {
  let byObject = objectCaches.get(snap);
  if (!byObject) objectCaches.set(snap, (byObject = new WeakMap()));
  let m = byObject.get(obj);
  if (!m) byObject.set(obj, (m = new Map()));
  return m;
}

/** The value stored under one of a snapshot's objects and `key`, if any. */
export function peekFor<T>(snap: MeshSnapshot, obj: object, key: string): T | undefined {
  return objectCaches.get(snap)?.get(obj)?.get(key) as T | undefined;
}

/** Store a value under one of a snapshot's objects and `key`. */
export function rememberFor(snap: MeshSnapshot, obj: object, key: string, value: unknown): void {
  objectCache(snap, obj).set(key, value);
}

/** Memoise a value derived from one snapshot and one of its objects (a pod, a route), by identity instead of a serialised key. */
export function cachedFor<T>(snap: MeshSnapshot, obj: object, key: string, build: () => T): T {
  const m = objectCache(snap, obj);
  let v = m.get(key) as T | undefined;
  if (v === undefined && !m.has(key)) m.set(key, (v = build()));
  return v as T;
}
