// Which pods back a Service and on which ports: shared by the Endpoints and EndpointSlice controllers.
import type { ObjectStore, StoreEvent } from '../store/object-store.js';
import type { KubeObject } from '../types.js';
import { isPodReady, isPodTerminal, refKey } from './object-helpers.js';

/** An endpoint port as Endpoints and EndpointSlices carry it. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** One pod serving a Service. */
export interface Backend {
  pod: KubeObject;
  ip: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: EndpointPort[];
}

/** The Service's endpoints are managed by controllers (it has a non-empty selector and is not ExternalName). */
export function selectsPods(svc: KubeObject): boolean {
  return svc.spec?.type !== 'ExternalName' && Object.keys(svc.spec?.selector ?? {}).length > 0;
}

function selected(svc: KubeObject, labels: Record<string, string> | undefined): boolean {
  return selectsPods(svc) && Object.entries(svc.spec.selector as Record<string, string>).every(([k, v]) => labels?.[k] === v);
}

/** Resolve a Service port's targetPort on a pod: numbers as is, names via the containers' named ports. */
export function resolveTargetPort(svcPort: any, pod: KubeObject): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (svcPort.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** Pods with an IP behind the Service, with their resolved ports (terminating pods only when asked). */
export function backendsOf(store: ObjectStore, svc: KubeObject, includeTerminating: boolean): Backend[] {
  const out: Backend[] = [];
  const svcPorts: any[] = svc.spec?.ports ?? [];
  for (const pod of store.list('/pods', svc.metadata.namespace)) {
    if (!selected(svc, pod.metadata.labels) || !pod.status?.podIP || isPodTerminal(pod)) continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    if (terminating && !includeTerminating) continue;
    const ports: EndpointPort[] = [];
    for (const sp of svcPorts) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    if (svcPorts.length && !ports.length) continue;
    const serving = isPodReady(pod) || !!svc.spec?.publishNotReadyAddresses;
    out.push({ pod, ip: pod.status.podIP, ready: serving && !terminating, serving, terminating, ports });
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** Group backends by identical port lists (one Endpoints subset / EndpointSlice per group). */
export function groupByPorts(backends: Backend[]): Map<string, Backend[]> {
  const groups = new Map<string, Backend[]>();
  for (const b of backends) {
    const sig = JSON.stringify(b.ports);
    groups.set(sig, [...(groups.get(sig) ?? []), b]);
  }
  return groups;
}

/** Queue keys (`ns/name`) of Services a store event may change the endpoints of. */
export function servicesAffectedBy(store: ObjectStore, event: StoreEvent): string[] {
  if (event.key === '/services') return [refKey(event.object)];
  if (event.key !== '/pods') return [];
  const keys = new Set<string>();
  for (const svc of store.list('/services', event.object.metadata.namespace)) {
    if (selected(svc, event.object.metadata.labels) || (event.previous && selected(svc, event.previous.metadata.labels))) keys.add(refKey(svc));
  }
  return [...keys];
}

/** Labels endpoints objects inherit from their Service. */
export function endpointLabels(svc: KubeObject): Record<string, string> {
  return { ...(svc.metadata.labels ?? {}), ...(svc.spec?.clusterIP === 'None' ? { 'service.kubernetes.io/headless': '' } : {}) };
}

/** Address fields shared by both endpoint shapes: targetRef, nodeName and (for a matching subdomain) hostname. */
export function addressFields(b: Backend, svc: KubeObject): Record<string, unknown> {
  const pod = b.pod;
  const hostname = pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {};
  return {
    ...hostname,
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}
