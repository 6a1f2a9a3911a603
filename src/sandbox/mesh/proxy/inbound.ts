// A request arriving at a pod with a sidecar (§8): PeerAuthentication (STRICT refuses plaintext with a
// reset; DISABLE cannot accept Istio mTLS — derived), the inbound local rate limit (§10), the app,
// Envoy's inbound headers (x-forwarded-client-cert under mTLS), stats and the inbound access log.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../types.js';
import type { MeshRequest, MeshResult, MeshSnapshot } from '../types.js';
import { isTransportFailure } from '../types.js';
import { servicesSelecting } from '../routing/index.js';
import { resolveTargetPort } from '../routing/registry.js';
import { formatAccessLog } from './access-log.js';
import { normalizeRequest, type EngineDeps } from './context.js';
import { upstreamResetReply, type Outcome } from './local-reply.js';
import { effectiveMtlsMode } from './peer-authentication.js';
import { applyLocalRateLimits, localRateLimits } from './rate-limit.js';
import { applyGlobalRateLimit } from './global-rate-limit.js';
import { clusterStat, countResponseCode } from './stats.js';
import { recordDestinationRequest } from './istio-metrics.js';

/** Metadata the network hands the inbound side. */
export interface InboundMeta {
  mtls: boolean;
  source?: KubeObject;
}

/** SPIFFE identity of a pod (§11.1 XFCC). */
function spiffeOf(pod: KubeObject | undefined, trustDomain: string): string {
  return `spiffe://${trustDomain}/ns/${pod?.metadata.namespace ?? 'default'}/sa/${pod?.spec?.serviceAccountName ?? 'default'}`;
}

/** REQUESTED_SERVER_NAME under mTLS: `outbound_.<svc-port>_._.<fqdn>` of the Service mapping to this port. */
function serverName(snap: MeshSnapshot, pod: KubeObject, port: number): string | undefined {
  for (const svc of servicesSelecting(snap, pod)) {
    const sp = (svc.spec?.ports ?? []).find((p: any) => resolveTargetPort(p, pod) === port);
    if (sp) return `outbound_.${sp.port}_._.${svc.metadata.name}.${svc.metadata.namespace}.svc.${snap.domain}`;
  }
  return undefined;
}

/** §8: handle one inbound request. */
export async function handleInbound(deps: EngineDeps, pod: KubeObject, port: number, request: MeshRequest, meta: InboundMeta, app: (req: MeshRequest) => Promise<MeshResult>): Promise<MeshResult> {
  const snap = deps.snapshot();
  const proxy = deps.proxyState(pod);
  const start = deps.clock.now();
  const podIp = pod.status?.podIP ?? '0.0.0.0';
  const sourceIp = meta.source?.status?.podIP ?? '127.0.0.1';
  const mode = effectiveMtlsMode(snap, pod, port);
  if ((mode === 'STRICT' && !meta.mtls) || (mode === 'DISABLE' && meta.mtls)) {
    // No filter chain accepts this transport: the listener logs NR filter_chain_not_found and resets.
    proxy.stats.inc(`listener.${podIp}_${port}.no_filter_chain_match`);
    deps.accessLog(pod, `[${start.toISOString()}] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - ${podIp}:${port} ${sourceIp}:${proxy.nextPort()} - -`, 'SERVER');
    return { failure: 'reset', message: 'Recv failure: Connection reset by peer' };
  }
  const req = normalizeRequest(request, proxy);
  if (meta.mtls) {
    const uri = spiffeOf(meta.source, snap.domain);
    const hash = createHash('sha256').update(uri).digest('hex');
    req.headers['x-forwarded-client-cert'] = `By=${spiffeOf(pod, snap.domain)};Hash=${hash};Subject="";URI=${uri}`;
  }
  const cluster = `inbound|${port}||`;
  const vhost = `inbound|http|${port}`;
  const local = applyLocalRateLimits(localRateLimits(snap, pod, 'SIDECAR_INBOUND', port, vhost), proxy.buckets, start.getTime(), deps.random, proxy.stats);
  // §10: the global rate limit filter, on the inbound route `default`.
  const global = local ? undefined : await applyGlobalRateLimit(deps, { pod, context: 'SIDECAR_INBOUND', port, vhost, routeName: 'default', cluster, request: req });
  const limited = local ?? global?.outcome;
  let outcome: Outcome;
  let serviceTimeMs: number | undefined;
  if (limited) outcome = limited;
  else {
    proxy.stats.inc(clusterStat(cluster, 'upstream_rq_total'));
    const result = await app(req).catch((err: unknown) => ({ failure: 'reset' as const, message: String(err) }));
    serviceTimeMs = deps.clock.now().getTime() - start.getTime();
    if (isTransportFailure(result)) {
      outcome = upstreamResetReply(result.failure === 'reset' || result.failure === 'empty-reply' ? 'connection termination' : 'connection failure', false);
      serviceTimeMs = undefined;
    } else {
      countResponseCode(proxy.stats, cluster, result.status);
      outcome = { response: { ...result, headers: { ...result.headers, 'x-envoy-upstream-service-time': String(Math.round(serviceTimeMs)) } }, flags: [], details: 'via_upstream' };
    }
  }
  const response = { ...outcome.response, headers: { ...outcome.response.headers, ...(limited ? {} : global?.headers) } };
  response.headers.date ??= deps.clock.now().toUTCString();
  // Istio standard metrics, reporter=destination (see istio-metrics.ts).
  recordDestinationRequest(snap, proxy, { pod, port, source: meta.source, mtls: meta.mtls, authority: req.authority, status: response.status, flags: outcome.flags, durationMs: deps.clock.now().getTime() - start.getTime() });
  deps.accessLog(
    pod,
    formatAccessLog({
      start,
      method: req.method,
      path: req.path,
      status: response.status,
      flags: outcome.flags,
      details: outcome.details,
      bytesReceived: req.body?.length ?? 0,
      bytesSent: response.body.length,
      durationMs: deps.clock.now().getTime() - start.getTime(),
      upstreamServiceTimeMs: serviceTimeMs,
      headers: req.headers,
      authority: req.authority,
      upstreamHost: limited ? undefined : `${podIp}:${port}`,
      upstreamCluster: limited ? undefined : cluster,
      upstreamLocal: limited ? undefined : `127.0.0.6:${proxy.nextPort()}`,
      downstreamLocal: `${podIp}:${port}`,
      downstreamRemote: `${sourceIp}:${proxy.nextPort()}`,
      serverName: meta.mtls ? serverName(snap, pod, port) : undefined,
      routeName: 'default',
    }),
    'SERVER',
  );
  return response;
}
