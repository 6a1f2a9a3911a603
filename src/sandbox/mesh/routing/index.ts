// Routing: Istio config → what a proxy's route table says about one request. Pure functions of a
// MeshSnapshot: host resolution (§1.2), VirtualService binding (§1.3), matching (§1.4–§1.6),
// gateways (§6), DestinationRules and clusters (§1.8, §5), rewrites and headers (§1.9, §1.10).
import type { KubeObject } from '../../types.js';
import type { MeshRequest, MeshSnapshot, ProxyIdentity } from '../types.js';
import { gatewayVirtualHosts, serverPortFor } from './gateways.js';
import { selectVirtualHost, splitAuthority } from './hosts.js';
import { matchesRequest } from './match.js';
import { outboundPolicyFor } from './outbound-policy.js';
import type { MeshService } from './registry.js';
import { sidecarVirtualHosts } from './sidecar-vhosts.js';
import type { RouteEntry } from './virtual-services.js';

export { resolveCluster, clusterName, type Cluster, type ClusterLookup } from './clusters.js';
export { applyRewrite, applyHeaderOperations, applyRequestHeaderOperations, redirectResponse } from './rewrite.js';
export { pickWeighted } from './weights.js';
export { parseDurationMs } from './durations.js';
export { gatewayServers } from './gateways.js';
export { hasSidecar, servicesSelecting, findService, podByIp, type Endpoint, type MeshService } from './registry.js';
export { splitAuthority, expandHost } from './hosts.js';
export { rootNamespace } from './destination-rules.js';
export { outboundPolicyFor } from './outbound-policy.js';
export type { RouteEntry } from './virtual-services.js';

/** What the route table decides for a request, before any Envoy filter runs. */
export type RouteDecision =
  /** §1.6: no virtual host, or no route in it → 404 NR. */
  | { kind: 'no-route'; vhost?: string }
  /** §6 `tls.httpsRedirect`. */
  | { kind: 'https-redirect'; vhost: string; location: string }
  /** A route: a VirtualService rule (`entry`) or the service's default route (`entry` null, §1.6). */
  | { kind: 'route'; vhost: string; entry: RouteEntry | null; service?: MeshService; listenerPort: number; scheme: string }
  /** §9 ALLOW_ANY: a host outside the registry passes through. */
  | { kind: 'passthrough' }
  /** §9 REGISTRY_ONLY: `http` → 502 from the block_all virtual host; otherwise the TCP BlackHoleCluster. */
  | { kind: 'blackhole'; http: boolean };

/** Resolve a request through the proxy's route table (§1.2–§1.6, §6, §9). */
export function resolveRoute(snap: MeshSnapshot, proxy: ProxyIdentity, req: MeshRequest): RouteDecision {
  return proxy.kind === 'gateway' ? resolveAtGateway(snap, proxy.pod, proxy.port, req) : resolveAtSidecar(snap, proxy.pod, req);
}

function firstMatch(routes: RouteEntry[], req: MeshRequest, scheme: string): RouteEntry | undefined {
  return routes.find((r) => matchesRequest(r.match, req, { scheme }));
}

function resolveAtSidecar(snap: MeshSnapshot, pod: KubeObject, req: MeshRequest): RouteDecision {
  const { host, port: authorityPort } = splitAuthority(req.authority);
  // The outbound listener is the destination port: the authority's, else 80 for http (§1.2).
  const port = authorityPort ?? 80;
  const vhosts = sidecarVirtualHosts(snap, pod, port);
  const vh = selectVirtualHost(vhosts, host);
  if (!vh) return outboundPolicyFor(snap, pod) === 'REGISTRY_ONLY' ? { kind: 'blackhole', http: vhosts.length > 0 } : { kind: 'passthrough' };
  const scheme = 'http';
  if (!vh.vs) return { kind: 'route', vhost: vh.name, entry: null, service: vh.service, listenerPort: port, scheme };
  const entry = firstMatch(vh.routes, req, scheme);
  return entry ? { kind: 'route', vhost: vh.name, entry, service: vh.service, listenerPort: port, scheme } : { kind: 'no-route', vhost: vh.name };
}

function resolveAtGateway(snap: MeshSnapshot, pod: KubeObject, containerPort: number, req: MeshRequest): RouteDecision {
  const { host } = splitAuthority(req.authority);
  const vh = selectVirtualHost(gatewayVirtualHosts(snap, pod, containerPort), host);
  if (!vh) return { kind: 'no-route' };
  if (vh.httpsRedirect) return { kind: 'https-redirect', vhost: vh.name, location: `https://${host}${req.path}` };
  const scheme = 'http';
  const entry = firstMatch(vh.routes, req, scheme);
  if (!entry) return { kind: 'no-route', vhost: vh.name };
  return { kind: 'route', vhost: vh.name, entry, listenerPort: serverPortFor(snap, pod, containerPort) ?? containerPort, scheme };
}
