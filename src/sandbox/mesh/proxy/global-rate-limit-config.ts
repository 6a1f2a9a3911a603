// The global rate limit's configuration as EnvoyFilters program it (§10, Istio's rate-limit task): an
// HTTP_FILTER patch inserting `envoy.filters.http.ratelimit` (RateLimit: domain, stage, failure_mode_deny,
// timeout, rate_limit_service.grpc_service.envoy_grpc.cluster_name, enable_x_ratelimit_headers, …), and
// the rate limit policy: `rate_limits` merged into a VIRTUAL_HOST (vhost name "" = every virtual host)
// and into HTTP_ROUTEs by route name. Like Envoy, a route's own rate_limits replace the virtual host's
// unless the route sets include_vh_rate_limits. Fields are read in snake_case or lowerCamelCase, as
// Istio's JSON → proto conversion accepts both.
import type { KubeObject } from '../../types.js';
import { parseDurationMs } from '../routing/index.js';
import { byCreation } from '../routing/virtual-services.js';
import type { MeshSnapshot } from '../types.js';
import { appliesTo, contextMatches, unwrap, vhostMatches, type FilterContext } from './rate-limit.js';

/** One `envoy.filters.http.ratelimit` filter on a proxy's listener. */
export interface GlobalRateLimitFilter {
  domain: string;
  stage: number;
  failureModeDeny: boolean;
  /** The call's timeout (Envoy's default is 20 ms). */
  timeoutMs: number;
  /** The Envoy cluster the service is called through, e.g. `outbound|8081||ratelimit.default.svc.cluster.local`. */
  clusterName?: string;
  authority?: string;
  /** `ratelimit` or `ratelimit.<stat_prefix>`, under the route's cluster. */
  statPrefix: string;
  xRateLimitHeaders: boolean;
  xEnvoyRateLimitedHeader: boolean;
  requestType: 'both' | 'internal' | 'external';
}

const filterName = 'envoy.filters.http.ratelimit';

/** A field in snake_case or lowerCamelCase. */
export function field(o: any, snake: string): any {
  return o?.[snake] ?? o?.[snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
}

/** EnvoyFilters applying to `pod`, in the order Istio applies them (priority, then creation). */
function filtersFor(snap: MeshSnapshot, pod: KubeObject): KubeObject[] {
  return snap.envoyFilters.filter((ef) => appliesTo(ef, pod)).sort((a, b) => (a.spec?.priority ?? 0) - (b.spec?.priority ?? 0) || byCreation(a, b));
}

/** The cluster a google_grpc target (`host:port`) would reach, as an outbound cluster name. */
function clusterOfTarget(target: string | undefined): string | undefined {
  const m = /^(?:dns:\/*)?([^:/]+):(\d+)$/.exec(target ?? '');
  return m ? `outbound|${m[2]}||${m[1]}` : undefined;
}

/** §10: the global rate limit filter on this proxy, listener context and port, if any. */
export function globalRateLimitFilter(snap: MeshSnapshot, pod: KubeObject, context: FilterContext, port: number): GlobalRateLimitFilter | undefined {
  for (const ef of filtersFor(snap, pod)) {
    for (const p of ef.spec?.configPatches ?? []) {
      if (p.applyTo !== 'HTTP_FILTER' || p.patch?.value?.name !== filterName || !contextMatches(p, context, port)) continue;
      const cfg = unwrap(field(p.patch.value, 'typed_config')) ?? {};
      const grpc = field(field(cfg, 'rate_limit_service'), 'grpc_service');
      const envoyGrpc = field(grpc, 'envoy_grpc');
      const prefix = field(cfg, 'stat_prefix');
      const requestType = String(field(cfg, 'request_type') ?? 'both');
      return {
        domain: String(cfg.domain ?? ''),
        stage: Number(cfg.stage ?? 0),
        failureModeDeny: field(cfg, 'failure_mode_deny') === true,
        timeoutMs: parseDurationMs(cfg.timeout) ?? 20,
        clusterName: field(envoyGrpc, 'cluster_name') ?? clusterOfTarget(field(field(grpc, 'google_grpc'), 'target_uri')),
        authority: envoyGrpc?.authority,
        statPrefix: prefix ? `ratelimit.${prefix}` : 'ratelimit',
        xRateLimitHeaders: field(cfg, 'enable_x_ratelimit_headers') === 'DRAFT_VERSION_03',
        xEnvoyRateLimitedHeader: field(cfg, 'disable_x_envoy_ratelimited_header') !== true,
        requestType: requestType === 'internal' || requestType === 'external' ? requestType : 'both',
      };
    }
  }
  return undefined;
}

/** The patch's routeConfiguration.vhost.route.name is unset or this route. */
function routeMatches(patch: any, routeName: string): boolean {
  const want = patch.match?.routeConfiguration?.vhost?.route?.name;
  return !want || want === routeName;
}

/** §10: the rate_limits entries in force for a route (route-level, else the virtual host's). */
export function rateLimitPolicy(snap: MeshSnapshot, pod: KubeObject, context: FilterContext, port: number, vhost: string | undefined, routeName: string): any[] {
  const vh: any[] = [];
  const route: any[] = [];
  let includeVh = false;
  for (const ef of filtersFor(snap, pod)) {
    for (const p of ef.spec?.configPatches ?? []) {
      if (!['VIRTUAL_HOST', 'HTTP_ROUTE'].includes(p.applyTo) || !contextMatches(p, context, port) || !vhostMatches(p, vhost)) continue;
      if (p.applyTo === 'VIRTUAL_HOST') vh.push(...(field(p.patch?.value, 'rate_limits') ?? []));
      else if (routeMatches(p, routeName)) {
        const r = p.patch?.value?.route;
        route.push(...(field(r, 'rate_limits') ?? []));
        includeVh ||= field(r, 'include_vh_rate_limits') === true;
      }
    }
  }
  return route.length ? (includeVh ? [...route, ...vh] : route) : vh;
}
