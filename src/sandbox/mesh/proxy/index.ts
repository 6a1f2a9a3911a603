// The proxy engine: Envoy as Istio programs it, for every sidecar and gateway pod of the sandbox.
// outbound() = a sidecar's outbound listener or a gateway listener; inbound() = a sidecar's inbound
// side; stats() = the admin `stats` text. Routing decisions come from ../routing (pure functions of a
// MeshSnapshot); this folder adds Envoy's filters and upstream machinery (faults, retries, timeouts,
// mirroring, circuit breakers, outlier detection, load balancing, local rate limits, access logs).
import { filterStatsForPod } from './stats-inclusion.js';
import type { KubeObject } from '../../types.js';
import type { Clock, Random } from '../../runtime/determinism.js';
import type { MeshRequest, MeshResult, MeshSnapshot, PodDelivery, ProxyIdentity } from '../types.js';
import { gatewayServers } from '../routing/index.js';
import { listServices } from '../routing/registry.js';
import { findDestinationRule } from '../routing/destination-rules.js';
import { clusterName } from '../routing/clusters.js';
import type { EngineDeps } from './context.js';
import { handleInbound } from './inbound.js';
import { handleOutbound } from './outbound.js';
import { ProxyState } from './proxy-state.js';
import { clusterCounterNames, clusterStat } from './stats.js';
import { defaultSetTimer } from './timers.js';
import { hash32 } from './hash-ring.js';
import { istioMetricsOf } from './istio-metrics.js';
import { renderPrometheusStats } from './prometheus-stats.js';

/** What the engine needs from the sandbox. */
export interface ProxyEngineDeps {
  snapshot(): MeshSnapshot;               // current programmed config
  deliver: PodDelivery;                   // reach an endpoint pod's inbound side (port = the pod's container port)
  clock: Clock; random: Random;
  setTimer?: (ms: number, fn: () => void) => () => void;
  accessLog(pod: KubeObject, line: string, side: 'CLIENT' | 'SERVER'): void;    // one line to the pod's istio-proxy container log
  /** Hosts outside the cluster (ServiceEntry/passthrough egress, §9), sent from `source`; default: DNS failure. */
  external?: (authority: string, request: MeshRequest, signal?: AbortSignal, source?: KubeObject) => Promise<MeshResult>;
}

/** The emulated data plane. */
export interface ProxyEngine {
  /** A request leaving a sidecar (outbound) or arriving at a gateway listener (authority = Host header). */
  outbound(proxy: ProxyIdentity, request: MeshRequest, signal?: AbortSignal): Promise<MeshResult>;
  /** A request arriving at a pod that has a sidecar: PeerAuthentication (§8: STRICT refuses plaintext with a reset), inbound access log, then `app`. */
  inbound(pod: KubeObject, port: number, request: MeshRequest, meta: { mtls: boolean; source?: KubeObject }, app: (req: MeshRequest) => Promise<MeshResult>): Promise<MeshResult>;
  /** Whether a gateway pod has a listener on this container port (a Gateway server selects it, §6 port translation); no listener → the glue refuses the connection. */
  gatewayListens(pod: KubeObject, port: number): boolean;
  /** Container ports a gateway pod listens on now (for the glue to open NodePort listeners). */
  gatewayPorts(pod: KubeObject): number[];
  /** Envoy admin `stats` text for a pod's proxy (`pilot-agent request GET stats`). */
  stats(pod: KubeObject): string;
  /** Envoy's /stats/prometheus for a pod's proxy: Istio standard metrics, then the Envoy stats it keeps. */
  prometheus(pod: KubeObject): string;
}

/** Key of a pod's proxy state: its uid, else namespace/name. */
function podKey(pod: KubeObject): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** Outbound cluster names a proxy has programmed (every service port, plus DR subsets), for zero-valued stats. */
function knownClusters(snap: MeshSnapshot, pod: KubeObject): string[] {
  const client = { namespace: pod.metadata.namespace ?? 'default', labels: pod.metadata.labels ?? {} };
  const out: string[] = [];
  for (const svc of listServices(snap)) {
    const dr = findDestinationRule(snap, svc.hostname, client, svc.namespace);
    for (const p of svc.ports) {
      out.push(clusterName(p.port, undefined, svc.hostname));
      for (const s of dr?.spec?.subsets ?? []) out.push(clusterName(p.port, s.name, svc.hostname));
    }
  }
  return out;
}

/** Create the engine. */
export function createProxyEngine(deps: ProxyEngineDeps): ProxyEngine {
  const states = new Map<string, ProxyState>();
  // One draw at creation seeds every proxy's id stream, so later calls (stats included) never shift the routing draws.
  const idSeed = Math.floor(deps.random() * 2 ** 32);
  const engineDeps: EngineDeps = {
    snapshot: deps.snapshot,
    deliver: deps.deliver,
    clock: deps.clock,
    random: deps.random,
    setTimer: deps.setTimer ?? defaultSetTimer,
    accessLog: deps.accessLog,
    external: deps.external ?? (async (authority) => ({ failure: 'dns', message: `Could not resolve host: ${authority.replace(/:\d+$/, '')}` })),
    proxyState(pod) {
      const key = podKey(pod);
      let s = states.get(key);
      if (!s) states.set(key, (s = new ProxyState(pod, (idSeed ^ hash32(key)) >>> 0)));
      return s;
    },
  };
  const stats = (pod: KubeObject): string => {
    const snap = deps.snapshot();
    const defaults = knownClusters(snap, pod).flatMap((c) => clusterCounterNames.map((n) => clusterStat(c, n)));
    return filterStatsForPod(engineDeps.proxyState(pod).stats.render(defaults), pod);
  };
  return {
    outbound: (proxy, request, signal) => handleOutbound(engineDeps, proxy, request, signal),
    inbound: (pod, port, request, meta, app) => handleInbound(engineDeps, pod, port, request, meta, app),
    gatewayListens: (pod, port) => gatewayServers(deps.snapshot(), pod).some((s) => s.containerPort === port),
    gatewayPorts: (pod) => [...new Set(gatewayServers(deps.snapshot(), pod).map((s) => s.containerPort))].sort((a, b) => a - b),
    stats,
    prometheus: (pod) => renderPrometheusStats(istioMetricsOf(engineDeps.proxyState(pod)).render(), stats(pod)),
  };
}
