// The pod network: how traffic leaves a pod (through its sidecar when it has one, else through
// plain kube-proxy Service load balancing with no routing, faults or retries — §3 "callers with no
// sidecar see no faults and no routing"), Kubernetes DNS, and delivery to a pod's inbound side.
import type { KubeObject } from '../types.js';
import type { Random } from '../runtime/determinism.js';
import { matchesLabelSelector } from '../api/selectors.js';
import type { MeshRequest, MeshResult, MeshSnapshot, PodDelivery, PodExchange, PodNetwork } from './types.js';
import type { ProxyEngine } from './proxy/index.js';
import type { ExternalHosts } from './external-hosts.js';
import { fetchOverTls, lookupFromPod, type EgressDeps } from './egress-tls.js';

/** Envoy's and the agent's own listeners (15090 stats, 15021 health, 15020 merged metrics): istio-init excludes them from inbound redirection (`-d 15090,15021,15020`) and a gateway serves them beside its Gateway listeners. */
const inboundExcludedPorts = new Set([15090, 15021, 15020]);

/** True if the pod runs an istio-proxy sidecar (container, or native sidecar init container). */
export function hasSidecar(pod: KubeObject): boolean {
  const named = (c: any) => c.name === 'istio-proxy';
  return (pod.spec?.containers ?? []).some(named) || (pod.spec?.initContainers ?? []).some((c: any) => named(c) && c.restartPolicy === 'Always');
}

/** True if the pod is an Istio gateway (proxyv2 running `proxy router`). */
export function isGatewayPod(pod: KubeObject): boolean {
  return (pod.spec?.containers ?? []).some((c: any) => String(c.image ?? '').includes('proxyv2') && (c.args ?? []).includes('router'));
}

/** True if the pod's Ready condition is True. */
export function isReady(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Ready endpoint pods of a Service, and the container port a Service port maps to on each. */
export function serviceEndpoints(snapshot: MeshSnapshot, svc: KubeObject, servicePort: any): { pod: KubeObject; port: number }[] {
  if (!svc.spec?.selector) return [];
  const pods = snapshot.pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && isReady(p) && matchesLabelSelector({ matchLabels: svc.spec.selector }, p.metadata.labels));
  return pods.flatMap((pod) => {
    const port = resolveTargetPort(pod, servicePort);
    return port ? [{ pod, port }] : [];
  });
}

/** targetPort (number or container port name; defaults to the port) on one pod. */
export function resolveTargetPort(pod: KubeObject, servicePort: any): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return undefined;
}

/** Resolve a host name or IP as cluster DNS / kube-proxy would from a pod in `namespace`. */
export function resolveHost(snapshot: MeshSnapshot, host: string, namespace: string): { service?: KubeObject; pod?: KubeObject } | undefined {
  const h = host.replace(/\.$/, '').toLowerCase();
  if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) {
    const service = snapshot.services.find((s) => s.spec?.clusterIP === h);
    if (service) return { service };
    const pod = snapshot.pods.find((p) => p.status?.podIP === h);
    return pod ? { pod } : undefined;
  }
  const parts = h.split('.');
  const suffix = `svc.${snapshot.domain}`;
  let name: string | undefined;
  let ns = namespace;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2 || (parts.length >= 3 && `${parts.slice(2).join('.')}` === 'svc') || parts.slice(2).join('.') === suffix) [name, ns] = [parts[0], parts[1]];
  if (!name) return undefined;
  const service = snapshot.services.find((s) => s.metadata.name === name && s.metadata.namespace === ns);
  return service ? { service } : undefined;
}

/** Dependencies of the network. */
export interface MeshNetworkDeps {
  snapshot(): MeshSnapshot;
  /** Reaches a pod's app directly (no proxy in between). */
  exchange: PodExchange;
  random: Random;
  /** Hosts outside the cluster (§9): emulated public hosts, else unresolvable. */
  externals: ExternalHosts;
}

/** PodNetwork over the mesh engine; also the PodDelivery the engine reaches endpoints with. */
export class MeshNetwork implements PodNetwork {
  engine?: ProxyEngine;

  /** DNS and TLS egress as pods meet them. */
  private readonly egress: EgressDeps;

  constructor(private readonly deps: MeshNetworkDeps) {
    this.egress = { snapshot: deps.snapshot, externals: deps.externals, inCluster: (host, ns) => !!resolveHost(deps.snapshot(), host, ns) };
  }

  /** Deliver to a pod's inbound side: a gateway's listener, a sidecar's inbound, or the app itself. */
  readonly deliver: PodDelivery = async (pod, port, request, meta) => {
    const engine = this.engine!;
    if (isGatewayPod(pod) && !inboundExcludedPorts.has(port)) {
      if (!engine.gatewayListens(pod, port)) return { failure: 'connect-refused', message: `connect ${pod.status?.podIP}:${port}: connection refused (no Gateway selects this gateway on port ${port})` };
      return engine.outbound({ kind: 'gateway', pod, port }, request, meta.signal);
    }
    const app = (req: MeshRequest) => this.deps.exchange(pod, port, req, meta.signal);
    // §7: istio-init leaves the agent's and Envoy's own ports out of inbound capture (Prometheus scrapes them even under STRICT mTLS).
    return hasSidecar(pod) && !inboundExcludedPorts.has(port) ? engine.inbound(pod, port, request, meta, app) : app(request);
  };

  async fetch(pod: KubeObject, url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer; timeoutMs?: number; signal?: AbortSignal }): Promise<MeshResult> {
    let parsed: URL;
    try {
      parsed = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`);
    } catch {
      return { failure: 'dns', message: `Could not resolve host: ${url}` };
    }
    // §9: the pod's resolver runs before any proxy sees the request.
    const unresolved = lookupFromPod(this.egress, pod, parsed.hostname);
    if (unresolved) return unresolved;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
    // An explicit Host header (curl -H "Host: x") is the authority; the URL still says where to connect.
    const authority = headers.host ?? parsed.host;
    delete headers.host;
    const request: MeshRequest = { method: init.method ?? 'GET', path: `${parsed.pathname}${parsed.search}`, authority, headers, body: init.body };
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    init.signal?.addEventListener('abort', onAbort, { once: true });
    // §7: istio-init's ISTIO_OUTPUT rules return traffic to 127.0.0.1, so loopback reaches the pod's own app port, sidecar or not.
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(parsed.hostname) && parsed.protocol === 'http:';
    const work = loopback
      ? this.deps.exchange(pod, Number(parsed.port || 80), request, controller.signal)
      : parsed.protocol === 'https:'
        ? fetchOverTls(this.egress, pod, hasSidecar(pod), parsed, request, controller.signal)
        : hasSidecar(pod)
          ? this.engine!.outbound({ kind: 'sidecar', pod }, request, controller.signal)
          : this.viaKubeProxy(pod, parsed, request, controller.signal);
    if (!init.timeoutMs) return work.finally(() => init.signal?.removeEventListener('abort', onAbort));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<MeshResult>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ failure: 'timeout', message: `Operation timed out after ${init.timeoutMs} milliseconds` });
      }, init.timeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
    });
  }

  proxyStats(pod: KubeObject): string | undefined {
    return hasSidecar(pod) || isGatewayPod(pod) ? this.engine?.stats(pod) : undefined;
  }

  proxyPrometheus(pod: KubeObject): string | undefined {
    return hasSidecar(pod) || isGatewayPod(pod) ? this.engine?.prometheus(pod) : undefined;
  }

  /** Plain Kubernetes networking: DNS, then a random ready endpoint of the Service (kube-proxy). */
  private async viaKubeProxy(pod: KubeObject, url: URL, request: MeshRequest, signal: AbortSignal): Promise<MeshResult> {
    const snapshot = this.deps.snapshot();
    const port = Number(url.port || 80);
    const target = resolveHost(snapshot, url.hostname, pod.metadata.namespace ?? 'default');
    // Not a cluster name: straight out of the cluster (§9; pods without a sidecar ignore outboundTrafficPolicy).
    if (!target) return this.deps.externals.fetch(url.host, request, { scheme: 'http', source: pod, signal });
    if (target.pod) return this.deliver(target.pod, port, request, { mtls: false, source: pod, signal });
    const svcPort = (target.service!.spec?.ports ?? []).find((p: any) => p.port === port);
    if (!svcPort) return { failure: 'connect-refused', message: `Failed to connect to ${url.hostname} port ${port}: Connection refused` };
    const endpoints = serviceEndpoints(snapshot, target.service!, svcPort);
    if (!endpoints.length) return { failure: 'connect-refused', message: `Failed to connect to ${url.hostname} port ${port}: Connection refused` };
    const pick = endpoints[Math.floor(this.deps.random() * endpoints.length)];
    return this.deliver(pick.pod, pick.port, request, { mtls: false, source: pod, signal });
  }
}
