// The global rate limit filter, `envoy.filters.http.ratelimit` (§10, [ENVOY-RL] ratelimit.cc): for a
// request that matched a route to a cluster, build descriptors from the route's (else the virtual host's)
// rate_limits, ask the rate limit service, then
// - OVER_LIMIT → local reply 429, empty body, `x-envoy-ratelimited: true`, flag RL, details
//   request_rate_limited (§13);
// - error → 500 with flag RLSE (rate_limiter_error) when failure_mode_deny, else the request goes on;
// - OK → the request goes on.
// With enable_x_ratelimit_headers: DRAFT_VERSION_03 the reply (429 or upstream) carries x-ratelimit-limit
// (`1, 1;w=60`), x-ratelimit-remaining and x-ratelimit-reset of the descriptor with the least remaining.
// Stats, under the route's cluster as Envoy charges them: cluster.<cluster>.ratelimit.{ok,over_limit,
// error,failure_mode_allowed} (with stat_prefix: ratelimit.<prefix>.*).
import type { KubeObject } from '../../types.js';
import type { MeshRequest } from '../types.js';
import { gatewayServers } from '../routing/index.js';
import type { EngineDeps, RequestScope } from './context.js';
import { globalRateLimitFilter, rateLimitPolicy } from './global-rate-limit-config.js';
import { localResponse, type Outcome } from './local-reply.js';
import type { FilterContext } from './rate-limit.js';
import { unitSeconds, type DescriptorStatus } from './ratelimit-api.js';
import { callRateLimitService } from './rate-limit-client.js';
import { buildDescriptors } from './rate-limit-descriptors.js';
import { clusterStat, countResponseCode } from './stats.js';

/** Where the filter runs for one request. */
export interface GlobalRateLimitCall {
  pod: KubeObject;
  context: FilterContext;
  /** Listener port (the gateway's container port, the sidecar's inbound port). */
  port: number;
  vhost: string | undefined;
  routeName: string;
  /** The route's upstream cluster (stats scope, destination_cluster). */
  cluster: string;
  request: MeshRequest;
  signal?: AbortSignal;
}

/** What the filter did: a local reply, or headers to add to the upstream response. */
export interface GlobalRateLimitResult {
  outcome?: Outcome;
  headers?: Record<string, string>;
}

/** Envoy's XRateLimitHeaderUtils: the descriptor with the least remaining, plus every limit as a quota policy. */
function xRateLimitHeaders(statuses: DescriptorStatus[]): Record<string, string> {
  const limited = statuses.filter((s) => s.currentLimit);
  if (!limited.length) return {};
  const min = limited.reduce((a, b) => ((b.limitRemaining ?? 0) < (a.limitRemaining ?? 0) ? b : a));
  const policy = limited.map((s) => `, ${s.currentLimit!.requestsPerUnit};w=${unitSeconds[s.currentLimit!.unit] ?? 0}${s.currentLimit!.name ? `;name="${s.currentLimit!.name}"` : ''}`).join('');
  return { 'x-ratelimit-limit': `${min.currentLimit!.requestsPerUnit}${policy}`, 'x-ratelimit-remaining': String(min.limitRemaining ?? 0), 'x-ratelimit-reset': String(parseInt(min.durationUntilReset ?? '0', 10)) };
}

/** The Envoy service cluster of a proxy (`<app>.<namespace>`), for source_cluster actions. */
function serviceCluster(pod: KubeObject): string {
  const l = pod.metadata.labels ?? {};
  return `${l['service.istio.io/canonical-name'] ?? l.app ?? pod.metadata.name}.${pod.metadata.namespace ?? 'default'}`;
}

/** §10: run the global rate limit filter; undefined when no filter or no descriptor applies. */
export async function applyGlobalRateLimit(deps: EngineDeps, call: GlobalRateLimitCall): Promise<GlobalRateLimitResult | undefined> {
  const snap = deps.snapshot();
  const filter = globalRateLimitFilter(snap, call.pod, call.context, call.port);
  if (!filter) return undefined;
  const internal = call.request.headers['x-envoy-internal'] === 'true';
  if ((filter.requestType === 'internal' && !internal) || (filter.requestType === 'external' && internal)) return undefined;
  const policy = rateLimitPolicy(snap, call.pod, call.context, call.port, call.vhost, call.routeName);
  const descriptors = buildDescriptors(policy, filter.stage, call.request, { destinationCluster: call.cluster, sourceCluster: serviceCluster(call.pod) });
  if (!descriptors.length) return undefined;
  const status = await callRateLimitService(deps, call.pod, filter, { domain: filter.domain, descriptors }, call.signal);
  const stats = deps.proxyState(call.pod).stats;
  const stat = (name: string) => stats.inc(clusterStat(call.cluster, `${filter.statPrefix}.${name}`));
  if (status.kind === 'error') {
    stat('error');
    if (filter.failureModeDeny) return { outcome: { response: localResponse(500), flags: ['RLSE'], details: 'rate_limiter_error' } };
    stat('failure_mode_allowed');
    return {};
  }
  const headers = filter.xRateLimitHeaders ? xRateLimitHeaders(status.response.statuses ?? []) : {};
  if (status.kind === 'ok') {
    stat('ok');
    return { headers };
  }
  stat('over_limit');
  countResponseCode(stats, call.cluster, 429);
  const limitedHeaders = { ...(filter.xEnvoyRateLimitedHeader ? { 'x-envoy-ratelimited': 'true' } : {}), ...headers };
  return { outcome: { response: localResponse(429, '', limitedHeaders), flags: ['RL'], details: 'request_rate_limited' } };
}

/** §10 at a gateway or a sidecar's outbound route (route-action.ts): the filter for a matched route to `cluster`. */
export function applyOutboundGlobalRateLimit(scope: RequestScope, req: MeshRequest, d: { vhost: string; listenerPort: number }, routeName: string, cluster: string): Promise<GlobalRateLimitResult | undefined> {
  // A gateway's listener is its container port (§6 port translation), as EnvoyFilter portNumber matches it.
  const port = scope.isGateway ? (gatewayServers(scope.snap, scope.pod).find((s) => s.number === d.listenerPort)?.containerPort ?? d.listenerPort) : d.listenerPort;
  return applyGlobalRateLimit(scope.deps, { pod: scope.pod, context: scope.isGateway ? 'GATEWAY' : 'SIDECAR_OUTBOUND', port, vhost: d.vhost, routeName, cluster, request: req, signal: scope.signal });
}
