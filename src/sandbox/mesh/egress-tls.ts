// What a pod's own resolver and TLS client meet on the way out (§9). DNS first: a name resolves when
// it is an IP, localhost, a cluster Service, or an emulated public host; anything else fails with
// curl exit 6 whatever the sidecar's policy (without DNS proxying, the default, the sidecar never
// sees the lookup). Then TLS that the client starts itself (curl https://…): the sidecar cannot read
// it and picks a TCP route by port and SNI: a registry host (ServiceEntry) with a TLS/HTTPS/TCP port
// passes it through to that host; a plain-HTTP port there closes the connection on the ClientHello;
// with no registry host, ALLOW_ANY goes to PassthroughCluster and REGISTRY_ONLY to BlackHoleCluster,
// which closes the connection during the handshake (curl exit 35, egress-control snips). TLS ends at
// the destination, so only emulated public hosts can answer it; TLS to in-cluster services is not emulated.
import type { KubeObject } from '../types.js';
import type { ExternalHosts } from './external-hosts.js';
import { hostCovers } from './routing/hosts.js';
import { outboundPolicyFor } from './routing/index.js';
import { listServices } from './routing/registry.js';
import type { MeshRequest, MeshResult, MeshSnapshot, TransportFailure } from './types.js';

/** How a sidecar routes a TLS connection it cannot read. */
export type TlsEgressRoute =
  /** Passed through unchanged to the destination (a ServiceEntry's cluster or PassthroughCluster). */
  | { kind: 'passthrough'; cluster: string }
  /** REGISTRY_ONLY with no registry host: BlackHoleCluster closes the connection. */
  | { kind: 'blackhole' }
  /** The port is plain HTTP in the registry: Envoy's HTTP codec rejects the ClientHello and closes. */
  | { kind: 'http-port'; cluster: string };

/** Reason of the Warning event for TLS the sandbox cannot carry (to in-cluster services and IPs). */
export const tlsNotEmulatedReason = 'TLSNotEmulated';

const httpProtocols = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);

/** §9: the route a sidecar picks for TLS to `host`:`port` (SNI = host). */
export function routeTlsEgress(snap: MeshSnapshot, pod: KubeObject, host: string, port: number): TlsEgressRoute {
  const h = host.toLowerCase();
  const entries = listServices(snap).filter((s) => s.ports.some((p) => p.port === port));
  const svc = entries.find((s) => s.hostname === h) ?? entries.find((s) => s.hostname.startsWith('*.') && hostCovers(s.hostname, h));
  if (svc) {
    const cluster = `outbound|${port}||${svc.hostname}`;
    const protocol = String(svc.ports.find((p) => p.port === port)?.protocol ?? '').toUpperCase();
    return httpProtocols.has(protocol) ? { kind: 'http-port', cluster } : { kind: 'passthrough', cluster };
  }
  return outboundPolicyFor(snap, pod) === 'REGISTRY_ONLY' ? { kind: 'blackhole' } : { kind: 'passthrough', cluster: 'PassthroughCluster' };
}

/** What DNS resolution and TLS egress need from the network. */
export interface EgressDeps {
  snapshot(): MeshSnapshot;
  externals: ExternalHosts;
  /** Whether cluster DNS answers `host` from `namespace` (a Service, or an IP it knows). */
  inCluster(host: string, namespace: string): boolean;
}

/** A pod's DNS lookup of a URL host: undefined when it resolves, else curl's exit-6 failure (and a Warning event for public-looking names). */
export function lookupFromPod(deps: EgressDeps, pod: KubeObject, hostname: string): TransportFailure | undefined {
  const h = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const ns = pod.metadata.namespace ?? 'default';
  if (!h || h === 'localhost' || /^[\d.]+$/.test(h) || h.includes(':') || deps.inCluster(h, ns) || deps.externals.resolves(h)) return undefined;
  const snap = deps.snapshot();
  const namespaces = new Set([...snap.services, ...snap.pods].map((o) => o.metadata.namespace));
  // `name.<namespace>` is a mistyped cluster name, not a public one: no egress warning for it.
  if (!namespaces.has(h.split('.').pop())) deps.externals.noteUnresolvable(pod, h);
  return { failure: 'dns', message: `Could not resolve host: ${h}` };
}

/** TLS started by a client in `pod` towards `url` (https), through its sidecar when it has one. */
export async function fetchOverTls(deps: EgressDeps, pod: KubeObject, sidecar: boolean, url: URL, request: MeshRequest, signal?: AbortSignal): Promise<MeshResult> {
  const host = url.hostname.toLowerCase();
  const port = Number(url.port || 443);
  if (!deps.externals.resolves(host)) {
    const message = `TLS to ${host}:${port} is not emulated: the istio-lab sandbox carries plain HTTP between pods, so the handshake fails (curl exit 35). Call http:// instead; sidecars already encrypt pod-to-pod traffic with Istio mTLS.`;
    deps.externals.warnOnce(pod, tlsNotEmulatedReason, host, message);
    return { failure: 'tls', message };
  }
  if (sidecar) {
    const route = routeTlsEgress(deps.snapshot(), pod, host, port);
    if (route.kind === 'blackhole') return { failure: 'tls', message: `SSL_ERROR_SYSCALL: the sidecar sent the connection to BlackHoleCluster (outboundTrafficPolicy REGISTRY_ONLY, no ServiceEntry for ${host}:${port})` };
    if (route.kind === 'http-port') return { failure: 'tls', message: `SSL_ERROR_SYSCALL: port ${port} of ${host} is plain HTTP in the registry (${route.cluster}), so the sidecar's HTTP listener closed the TLS connection` };
  }
  return deps.externals.fetch(`${host}:${port}`, request, { scheme: 'https', source: pod, ...(signal ? { signal } : {}) });
}
