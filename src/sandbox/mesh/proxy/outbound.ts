// A request leaving a sidecar or arriving at a gateway listener: local rate limit (§10), the route
// table's decision (§1, §6, §9) dispatched through a map of handlers, then `server`/`date` headers
// and one access-log line on this proxy (§13).
import type { ProxyIdentity, MeshRequest, MeshResult } from '../types.js';
import { podByIp, resolveRoute, splitAuthority, type RouteDecision } from '../routing/index.js';
import { formatAccessLog, type AccessLogEntry } from './access-log.js';
import { normalizeRequest, upstreamDepsFor, type EngineDeps, type Handled, type RequestScope } from './context.js';
import { localReplies, localResponse, upstreamResetReply } from './local-reply.js';
import { applyLocalRateLimits, localRateLimits } from './rate-limit.js';
import { handleRoute } from './route-action.js';
import { countResponseCode } from './stats.js';
import { recordSourceRequest } from './istio-metrics.js';
import { versionGate } from './versions.js';

type Handler<K extends RouteDecision['kind']> = (scope: RequestScope, req: MeshRequest, d: Extract<RouteDecision, { kind: K }>) => Promise<Handled>;

/** One handler per route decision kind. */
const handlers: { [K in RouteDecision['kind']]: Handler<K> } = {
  // §1.6: no virtual host / no matching route → 404 NR.
  'no-route': async () => ({ outcome: localReplies.noRoute() }),
  // §6 tls.httpsRedirect.
  'https-redirect': async (_s, _r, d) => ({ outcome: { response: localResponse(301, '', { location: d.location }), flags: [], details: 'direct_response' } }),
  // §9 REGISTRY_ONLY: HTTP → direct 502 from block_all; other ports → BlackHoleCluster closes the connection.
  blackhole: async (_s, _r, d) =>
    d.http ? { outcome: localReplies.registryOnly(), routeName: 'block_all' } : { transport: { failure: 'reset', message: 'Recv failure: Connection reset by peer' }, log: false, cluster: 'BlackHoleCluster' },
  // §9 ALLOW_ANY: PassthroughCluster to the original destination.
  passthrough: async (scope, req) => {
    const started = scope.upstream.now();
    // The original destination may be a pod IP inside the cluster: PassthroughCluster connects to it in plaintext.
    const { host, port } = splitAuthority(req.authority);
    const target = podByIp(scope.snap, host);
    const res = target
      ? await scope.deps.deliver(target, port ?? 80, req, { mtls: false, source: scope.pod, ...(scope.signal ? { signal: scope.signal } : {}) }).catch((e: unknown) => ({ failure: 'reset' as const, message: String(e) }))
      : await scope.deps.external(req.authority, req, scope.signal, scope.pod);
    const facts = { cluster: 'PassthroughCluster', routeName: 'allow_any', upstreamHost: req.authority };
    if ('failure' in res) {
      if (res.failure === 'dns') return { transport: res, log: false, ...facts };
      const reason = res.failure === 'reset' || res.failure === 'empty-reply' ? 'connection termination' : 'connection failure';
      return { outcome: upstreamResetReply(reason, false), ...facts };
    }
    countResponseCode(scope.proxy.stats, 'PassthroughCluster', res.status);
    const serviceTimeMs = scope.upstream.now() - started;
    return { outcome: { response: { ...res, headers: { ...res.headers, 'x-envoy-upstream-service-time': String(Math.round(serviceTimeMs)) } }, flags: [], details: 'via_upstream' }, ...facts, serviceTimeMs };
  },
  route: handleRoute,
};

/** §1–§6, §9, §10, §13: handle one outbound / gateway request. */
export async function handleOutbound(deps: EngineDeps, proxyId: ProxyIdentity, request: MeshRequest, signal?: AbortSignal): Promise<MeshResult> {
  const snap = deps.snapshot();
  const atMost = versionGate(snap.istioVersion);
  const proxy = deps.proxyState(proxyId.pod);
  const isGateway = proxyId.kind === 'gateway';
  const scope: RequestScope = { deps, snap, proxy, pod: proxyId.pod, atMost, upstream: upstreamDepsFor(deps, proxy, atMost, snap), isGateway, signal };
  const start = deps.clock.now();
  const req = normalizeRequest(request, proxy);
  const decision = resolveRoute(snap, proxyId, req);
  const listenerPort = isGateway ? proxyId.port : (splitAuthority(req.authority).port ?? 80);
  const vhost = 'vhost' in decision ? decision.vhost : undefined;
  const limited = applyLocalRateLimits(localRateLimits(snap, proxyId.pod, isGateway ? 'GATEWAY' : 'SIDECAR_OUTBOUND', listenerPort, vhost), proxy.buckets, start.getTime(), deps.random, proxy.stats);
  const handled: Handled = limited ? { outcome: limited } : await (handlers[decision.kind] as Handler<RouteDecision['kind']>)(scope, req, decision as never);
  if ('transport' in handled) return handled.transport;
  const sent = handled.sent ?? req;
  const podIp = proxyId.pod.status?.podIP ?? '0.0.0.0';
  const log: AccessLogEntry = {
    start,
    method: req.method,
    path: req.path,
    bytesReceived: req.body?.length ?? 0,
    durationMs: deps.clock.now().getTime() - start.getTime(),
    headers: sent.headers,
    authority: sent.authority,
    upstreamHost: handled.upstreamHost,
    upstreamCluster: handled.cluster,
    upstreamLocal: handled.upstreamHost ? `${podIp}:${proxy.nextPort()}` : undefined,
    downstreamLocal: isGateway ? `${podIp}:${proxyId.port}` : downstreamLocal(decision, req.authority, listenerPort),
    downstreamRemote: isGateway ? undefined : `${podIp}:${proxy.nextPort()}`,
    routeName: handled.routeName,
    status: 0,
    flags: [],
    details: '',
    bytesSent: 0,
  };
  // Istio standard metrics, reporter=source (see istio-metrics.ts).
  const report = (status: number, flags: string[]) => recordSourceRequest(snap, proxy, { pod: proxyId.pod, cluster: handled.cluster, upstreamHost: handled.upstreamHost, authority: sent.authority, vhost: 'vhost' in decision ? decision.vhost : undefined, autoMtls: scope.upstream.autoMtls, status, flags, durationMs: log.durationMs });
  if ('downstreamGone' in handled) {
    report(0, ['DC']);
    Object.assign(log, { flags: ['DC'], details: 'downstream_remote_disconnect' });
    deps.accessLog(proxyId.pod, formatAccessLog(log), 'CLIENT');
    return { failure: 'reset', message: 'request cancelled by the client' };
  }
  const { outcome } = handled;
  // §6: gateways answer with `server: istio-envoy`; sidecars overwrite with Envoy's default `envoy`.
  const headers: Record<string, string> = { ...outcome.response.headers, server: isGateway ? 'istio-envoy' : 'envoy' };
  headers.date ??= deps.clock.now().toUTCString();
  const response = { ...outcome.response, headers };
  report(response.status, outcome.flags);
  deps.accessLog(
    proxyId.pod,
    formatAccessLog(Object.assign(log, { status: response.status, flags: outcome.flags, details: outcome.details, transportFailure: outcome.transportFailure, bytesSent: response.body.length, upstreamServiceTimeMs: handled.serviceTimeMs })),
    'CLIENT',
  );
  return response;
}

/** DOWNSTREAM_LOCAL_ADDRESS of a sidecar request: the ClusterIP:port it was sent to, else the authority. */
function downstreamLocal(d: RouteDecision, authority: string, port: number): string {
  const ip = d.kind === 'route' ? d.service?.addresses[0] : undefined;
  return ip ? `${ip}:${port}` : `${splitAuthority(authority).host}:${port}`;
}
