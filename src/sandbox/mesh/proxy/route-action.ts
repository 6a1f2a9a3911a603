// A matched route, filter by filter: fault (§3), then the router — redirect / directResponse (§1.9),
// weighted destination (§1.7) → cluster (§1.8), rewrite and headers (§1.9, §1.10), mirror (§2),
// timeouts and retries (§4), consistent-hash cookie (§5), response header operations (§1.10).
import type { RouteDecision } from '../routing/index.js';
import { applyHeaderOperations, applyRequestHeaderOperations, applyRewrite, parseDurationMs, pickWeighted, redirectResponse, resolveCluster } from '../routing/index.js';
import type { MeshRequest } from '../types.js';
import type { Handled, RequestScope } from './context.js';
import { drawAbort, drawDelayMs } from './fault.js';
import { applyOutboundGlobalRateLimit } from './global-rate-limit.js';
import { hash32 } from './hash-ring.js';
import { hashKeyOf, hashOf } from './load-balancer.js';
import { localReplies, localResponse, type Outcome } from './local-reply.js';
import { sendMirrors } from './mirror.js';
import { retryPolicyFrom } from './retry-policy.js';
import { forward } from './router.js';
import { sleep } from './timers.js';

type RouteDecisionOf<K> = Extract<RouteDecision, { kind: K }>;

/** Prepend fault flags (DI) to an outcome. */
function withFlags(o: Outcome, flags: string[]): Outcome {
  return flags.length ? { ...o, flags: [...flags, ...o.flags] } : o;
}

/** Handle a request that matched a route (a VirtualService rule or the default route). */
export async function handleRoute(scope: RequestScope, req: MeshRequest, d: RouteDecisionOf<'route'>): Promise<Handled> {
  const { deps } = scope;
  const entry = d.entry;
  const rule = entry?.rule ?? {};
  const routeName = entry ? entry.name : 'default';
  const flags: string[] = [];
  // §3: the fault filter runs before the router; delay first, abort drawn after the delay.
  if (rule.fault) {
    const delay = drawDelayMs(rule.fault, deps.random);
    if (delay !== undefined) {
      flags.push('DI');
      if (!(await sleep(deps.setTimer, delay, scope.signal))) return { downstreamGone: true, routeName };
    }
    const abort = drawAbort(rule.fault, deps.random);
    if (abort) return { outcome: withFlags(abort, flags), routeName };
  }
  if (rule.redirect) {
    const r = redirectResponse(req, rule.redirect, entry?.match ?? null, d.scheme);
    return { outcome: withFlags({ response: localResponse(r.status, '', { location: r.location }), flags: [], details: 'direct_response' }, flags), routeName };
  }
  if (rule.directResponse) {
    const b = rule.directResponse.body;
    const body = b?.string !== undefined ? Buffer.from(String(b.string)) : b?.bytes !== undefined ? Buffer.from(String(b.bytes), 'base64') : Buffer.alloc(0);
    return { outcome: withFlags({ response: localResponse(Number(rule.directResponse.status), body), flags: [], details: 'direct_response' }, flags), routeName };
  }
  return routeToCluster(scope, req, d, rule, routeName, flags);
}

async function routeToCluster(scope: RequestScope, req: MeshRequest, d: RouteDecisionOf<'route'>, rule: any, routeName: string, flags: string[]): Promise<Handled> {
  const { deps, pod, snap } = scope;
  const client = { namespace: pod.metadata.namespace ?? 'default', labels: pod.metadata.labels ?? {} };
  const vsNamespace = d.entry?.vs.metadata.namespace ?? client.namespace;
  const destinations: any[] = d.entry ? rule.route ?? [] : [{ destination: { host: d.service?.hostname, port: { number: d.listenerPort } } }];
  const dest = pickWeighted(destinations, deps.random);
  const lookup = dest ? resolveCluster(snap, client, dest.destination, vsNamespace, d.listenerPort) : { missing: '' };
  if ('missing' in lookup) return { outcome: withFlags(localReplies.clusterNotFound(), flags), cluster: lookup.missing || undefined, routeName };
  const cluster = lookup.cluster;
  // §10: the global rate limit filter sits just before the router, once the route's cluster is known.
  const limit = await applyOutboundGlobalRateLimit(scope, req, d, routeName, cluster.name);
  if (limit?.outcome) return { outcome: withFlags(limit.outcome, flags), cluster: cluster.name, routeName };
  // §1.9 rewrite, then §1.10 rule-level and destination-level request headers (destination wins).
  let up = applyRewrite(req, rule.rewrite, d.entry?.match ?? null);
  up = applyRequestHeaderOperations(up, rule.headers?.request);
  up = applyRequestHeaderOperations(up, dest!.headers?.request);
  up = { ...up, headers: { ...up.headers } };
  // §9: routes to ServiceEntry hosts carry the decorator operation upstream.
  if (cluster.service.kind === 'serviceEntry') up.headers['x-envoy-decorator-operation'] = `${cluster.hostname}:${cluster.port.port}/*`;
  // §4: per-request timeout overrides are honoured on sidecars (trusted downstream) and always stripped.
  const overrideTimeout = readMs(up.headers['x-envoy-upstream-rq-timeout-ms']);
  const overridePerTry = readMs(up.headers['x-envoy-upstream-rq-per-try-timeout-ms']);
  delete up.headers['x-envoy-upstream-rq-timeout-ms'];
  delete up.headers['x-envoy-upstream-rq-per-try-timeout-ms'];
  const sidecar = !scope.isGateway;
  const timeoutMs = sidecar && overrideTimeout !== undefined ? overrideTimeout : parseDurationMs(rule.timeout);
  if (d.entry) sendMirrors(scope.upstream, { snap, proxy: scope.proxy, source: pod, rule, vsNamespace, listenerPort: d.listenerPort, request: up, suffix: scope.atMost('1.27'), atMost: scope.atMost });
  const ch = cluster.policy.loadBalancer?.consistentHash;
  const retry = retryPolicyFrom(d.entry ? rule.retries : undefined, scope.atMost, !!ch, snap.mesh.defaultHttpRetryPolicy);
  // useSourceIp: the downstream address — the client pod for a sidecar; at a gateway the first X-Forwarded-For entry when present.
  const sourceIp = (scope.isGateway && up.headers['x-forwarded-for']?.split(',')[0].trim()) || pod.status?.podIP;
  let key = hashKeyOf(ch, up, sourceIp);
  let setCookie: string | undefined;
  if (ch?.httpCookie?.name && key === undefined && ch.httpCookie.ttl) {
    // Envoy generates the cookie from a hash of the downstream address when absent and a ttl is set.
    key = hash32(`${pod.status?.podIP}:${scope.proxy.nextPort()}`).toString(16).padStart(16, '0');
    const ttl = Math.round((parseDurationMs(ch.httpCookie.ttl) ?? 0) / 1000);
    setCookie = `${ch.httpCookie.name}="${key}"; Max-Age=${ttl}${ch.httpCookie.path ? `; Path=${ch.httpCookie.path}` : ''}; HttpOnly`;
  }
  const state = scope.proxy.cluster(cluster, scope.upstream.now(), scope.atMost);
  const fr = await forward(scope.upstream, {
    cluster,
    state,
    request: up,
    source: pod,
    hash: hashOf(key),
    retry,
    timeoutMs: timeoutMs || undefined,
    ...(sidecar && overridePerTry ? { perTryTimeoutMs: overridePerTry } : {}),
    downstreamSignal: scope.signal,
  });
  const facts = { cluster: cluster.name, upstreamHost: fr.host?.external ?? fr.host?.key, routeName, sent: up };
  if ('downstreamGone' in fr) return { downstreamGone: true, ...facts };
  if ('transport' in fr) return { transport: fr.transport, log: false, ...facts };
  let response = fr.outcome.response;
  // §1.10: response header operations, rule-level then destination-level.
  response = { ...response, headers: applyHeaderOperations(applyHeaderOperations(response.headers, rule.headers?.response), dest!.headers?.response) };
  if (fr.serviceTimeMs !== undefined) response.headers['x-envoy-upstream-service-time'] = String(Math.round(fr.serviceTimeMs));
  if (setCookie) response.headers['set-cookie'] = setCookie;
  if (limit?.headers) Object.assign(response.headers, limit.headers);
  return { outcome: withFlags({ ...fr.outcome, response }, flags), ...facts, serviceTimeMs: fr.serviceTimeMs };
}

/** A non-negative integer header value in milliseconds. */
function readMs(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}
