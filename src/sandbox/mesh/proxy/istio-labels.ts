// The labels of Istio's standard HTTP metrics (istio.io docs/reference/config/metrics), in the order the
// stats filter prints them. reporter=source is the client sidecar or gateway (outbound); reporter=destination
// the server sidecar (inbound). Peer workload facts come from metadata exchange, so a destination report
// of a request from a pod without a proxy has "unknown" source fields; a present workload without a
// `version` label reports "" (as Istio's own example output shows).
import type { KubeObject } from '../../types.js';
import { workloadOf } from '../../controllers/sidecar-template.js';
import type { MeshSnapshot } from '../types.js';
import { isGatewayPod } from '../network.js';
import { findService, hasSidecar, servicesSelecting } from '../routing/index.js';
import { resolveTargetPort } from '../routing/registry.js';
import { formatFlags } from './local-reply.js';

/** The cluster name Istio reports for source_cluster / destination_cluster (istioctl's default). */
const CLUSTER_ID = 'Kubernetes';

/** A destination service as the metrics name it. */
export interface ReportedService {
  host: string;
  name: string;
  namespace: string;
}

/** What one finished request contributes to the labels. */
export interface RequestFacts {
  reporter: 'source' | 'destination';
  /** The client pod; undefined (or a pod without a proxy, for destination reports) → "unknown". */
  source?: KubeObject;
  /** The server pod; undefined when the request reached no pod (local reply, external host). */
  destination?: KubeObject;
  service: ReportedService;
  /** Whether the connection was Istio mTLS (principals and connection_security_policy). */
  mtls: boolean;
  status: number;
  flags: string[];
}

/** True for a pod whose traffic passes an Istio proxy (sidecar or gateway), i.e. one that exchanges peer metadata. */
export function isMeshProxy(pod: KubeObject | undefined): boolean {
  return !!pod && (hasSidecar(pod) || isGatewayPod(pod));
}

/** The SPIFFE identity of a pod's service account. */
export function principalOf(pod: KubeObject, trustDomain: string): string {
  return `spiffe://${trustDomain}/ns/${pod.metadata.namespace ?? 'default'}/sa/${pod.spec?.serviceAccountName ?? 'default'}`;
}

type Peer = { workload: string; canonicalService: string; canonicalRevision: string; namespace: string; app: string; version: string; cluster: string };
/** Peers by pod object: a snapshot's pods never change, and every request through a pod asks again. */
const peers = new WeakMap<KubeObject, Peer>();

/** workload, canonical service/revision, namespace, app, version of a pod (or all "unknown"); memoised per pod object. */
function peer(pod: KubeObject | undefined): Peer {
  if (!pod) return unknownPeer;
  let p = peers.get(pod);
  if (!p) peers.set(pod, (p = peerOf(pod)));
  return p;
}

const unknownPeer: Peer = { workload: 'unknown', canonicalService: 'unknown', canonicalRevision: 'unknown', namespace: 'unknown', app: 'unknown', version: 'unknown', cluster: 'unknown' };

function peerOf(pod: KubeObject | undefined): Peer {
  if (!pod) return { workload: 'unknown', canonicalService: 'unknown', canonicalRevision: 'unknown', namespace: 'unknown', app: 'unknown', version: 'unknown', cluster: 'unknown' };
  const labels = pod.metadata.labels ?? {};
  const workload = workloadOf(pod).name;
  return {
    workload,
    canonicalService: labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels.app ?? workload,
    canonicalRevision: labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels.version ?? 'latest',
    namespace: pod.metadata.namespace ?? 'default',
    app: labels.app ?? '',
    version: labels.version ?? '',
    cluster: CLUSTER_ID,
  };
}

/** The standard label set of one request, in the stats filter's order. */
export function istioRequestLabels(f: RequestFacts, trustDomain: string): Record<string, string> {
  const known = f.reporter === 'source' || isMeshProxy(f.source);
  const src = peer(known ? f.source : undefined);
  const dst = peer(f.destination);
  const srcPrincipal = f.source && (f.reporter === 'source' || f.mtls) ? principalOf(f.source, trustDomain) : 'unknown';
  const dstPrincipal = f.destination && f.mtls ? principalOf(f.destination, trustDomain) : 'unknown';
  return {
    reporter: f.reporter,
    source_workload: src.workload,
    source_canonical_service: src.canonicalService,
    source_canonical_revision: src.canonicalRevision,
    source_workload_namespace: src.namespace,
    source_principal: srcPrincipal,
    source_app: src.app,
    source_version: src.version,
    source_cluster: src.cluster,
    destination_workload: dst.workload,
    destination_workload_namespace: dst.namespace,
    destination_principal: dstPrincipal,
    destination_app: dst.app,
    destination_version: dst.version,
    destination_service: f.service.host,
    destination_canonical_service: dst.canonicalService,
    destination_canonical_revision: dst.canonicalRevision,
    destination_service_name: f.service.name,
    destination_service_namespace: f.service.namespace,
    destination_cluster: dst.cluster,
    request_protocol: 'http',
    response_code: String(f.status),
    grpc_response_status: '',
    response_flags: formatFlags(f.flags),
    // Only the server side knows how the connection was secured.
    connection_security_policy: f.reporter === 'source' ? 'unknown' : f.mtls ? 'mutual_tls' : 'none',
  };
}

/**
 * The service a client-side request went to: from the Envoy cluster `outbound|port|subset|host`, else the
 * passthrough/blackhole name, else (a local reply such as 404 NR that chose no cluster) the matched
 * virtual host's service — ⚠ derived: the stats filter's fallback for requests without an upstream cluster
 * was not verified — else "unknown".
 */
export function serviceOfCluster(snap: MeshSnapshot, cluster: string | undefined, authorityHost: string, fallbackHost?: string): ReportedService {
  if (cluster === 'PassthroughCluster' || cluster === 'BlackHoleCluster') return { host: authorityHost, name: cluster, namespace: 'unknown' };
  const host = cluster?.startsWith('outbound|') ? cluster.split('|')[3] : fallbackHost;
  if (!host) return { host: 'unknown', name: 'unknown', namespace: 'unknown' };
  const svc = findService(snap, host);
  return { host, name: svc?.name ?? host, namespace: svc?.kind === 'service' ? svc.namespace : svc?.namespace ?? 'unknown' };
}

/** The Service whose port targets `port` on the server pod (inbound), else the request's host. */
export function serviceOfInbound(snap: MeshSnapshot, pod: KubeObject, port: number, authorityHost: string): ReportedService {
  for (const svc of servicesSelecting(snap, pod)) {
    if ((svc.spec?.ports ?? []).some((p: any) => resolveTargetPort(p, pod) === port)) {
      const ns = svc.metadata.namespace ?? 'default';
      return { host: `${svc.metadata.name}.${ns}.svc.${snap.domain}`, name: svc.metadata.name!, namespace: ns };
    }
  }
  return { host: authorityHost || 'unknown', name: authorityHost || 'unknown', namespace: pod.metadata.namespace ?? 'unknown' };
}
