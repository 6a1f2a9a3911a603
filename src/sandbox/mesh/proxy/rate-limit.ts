// Local rate limit (§10) from the EnvoyFilter shape of Istio's sample: an HTTP_FILTER patch inserting
// `envoy.filters.http.local_ratelimit` (TypedStruct or typed LocalRateLimit), optionally with the bucket
// in an HTTP_ROUTE patch's typed_per_filter_config (vhost `inbound|http|<port>` or `<host>:<port>`).
// Token bucket: starts full, `tokens_per_fill` added every `fill_interval` (evaluated lazily from the Clock).
// Out of tokens → 429 `local_rate_limited`, `x-envoy-ratelimited`, configured headers, flag RL (§13).
// Not modelled: descriptors, per-connection buckets, global rate limit (§10 needs the ratelimit
// service and its ConfigMap, which MeshSnapshot does not carry).
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { parseDurationMs, rootNamespace } from '../routing/index.js';
import type { Random } from '../../runtime/determinism.js';
import { drawFraction } from './fault.js';
import { localResponse, type Outcome } from './local-reply.js';
import type { ProxyStats } from './stats.js';

/** Where a filter sits (EnvoyFilter `match.context`). */
export type FilterContext = 'SIDECAR_INBOUND' | 'SIDECAR_OUTBOUND' | 'GATEWAY';

/** One effective local rate limiter. */
export interface LocalRateLimit {
  /** Identity of the config (bucket state resets when it changes). */
  id: string;
  statPrefix: string;
  maxTokens: number;
  tokensPerFill: number;
  fillIntervalMs: number;
  enabledPerMillion: number;
  enforcedPerMillion: number;
  responseHeaders: Record<string, string>;
}

const filterName = 'envoy.filters.http.local_ratelimit';
const denominators: Record<string, number> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** RuntimeFractionalPercent → per million; unset → 0 (Envoy's "disabled for safety" default). */
function perMillion(f: any): number {
  const dv = f?.default_value ?? f?.defaultValue;
  if (!dv) return 0;
  const den = denominators[dv.denominator ?? 'HUNDRED'] ?? 100;
  return Math.round((Number(dv.numerator ?? 0) / den) * 1_000_000);
}

/** The filter message inside a TypedStruct or a typed config. */
export function unwrap(cfg: any): any {
  if (!cfg) return undefined;
  return cfg.value && (cfg.type_url ?? cfg.typeUrl) ? cfg.value : cfg;
}

/** The EnvoyFilter applies to this proxy (its namespace or the root namespace, workloadSelector). */
export function appliesTo(ef: KubeObject, pod: KubeObject): boolean {
  const ns = ef.metadata.namespace;
  if (ns !== pod.metadata.namespace && ns !== rootNamespace) return false;
  const sel: Record<string, string> = ef.spec?.workloadSelector?.labels ?? {};
  return Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v);
}

/** The patch's match.context and listener/route-configuration port fit this request. */
export function contextMatches(patch: any, context: FilterContext, port: number): boolean {
  const c = patch.match?.context ?? 'ANY';
  if (c !== 'ANY' && c !== context) return false;
  const pn = patch.match?.listener?.portNumber ?? patch.match?.routeConfiguration?.portNumber;
  return !pn || Number(pn) === port;
}

/** §10: the local rate limiters configured for this proxy, filter context, listener port and virtual host. */
export function localRateLimits(snap: MeshSnapshot, pod: KubeObject, context: FilterContext, port: number, vhost: string | undefined): LocalRateLimit[] {
  const out: LocalRateLimit[] = [];
  for (const ef of snap.envoyFilters) {
    if (!appliesTo(ef, pod)) continue;
    const patches: any[] = ef.spec?.configPatches ?? [];
    const filter = patches.find((p) => p.applyTo === 'HTTP_FILTER' && p.patch?.value?.name === filterName && contextMatches(p, context, port));
    if (!filter) continue;
    let cfg = unwrap(filter.patch.value.typed_config ?? filter.patch.value.typedConfig);
    const perRoute = patches.find((p) => p.applyTo === 'HTTP_ROUTE' && contextMatches(p, context, port) && vhostMatches(p, vhost));
    const routeCfg = unwrap(perRoute?.patch?.value?.typed_per_filter_config?.[filterName] ?? perRoute?.patch?.value?.typedPerFilterConfig?.[filterName]);
    if (routeCfg) cfg = routeCfg;
    const tb = cfg?.token_bucket ?? cfg?.tokenBucket;
    if (!tb) continue;
    const headers: Record<string, string> = {};
    for (const h of cfg.response_headers_to_add ?? cfg.responseHeadersToAdd ?? []) if (h?.header?.key) headers[String(h.header.key).toLowerCase()] = String(h.header.value ?? '');
    out.push({
      id: `${ef.metadata.namespace}/${ef.metadata.name}/${ef.metadata.resourceVersion ?? ''}/${JSON.stringify(cfg)}`,
      statPrefix: cfg.stat_prefix ?? cfg.statPrefix ?? 'http_local_rate_limiter',
      maxTokens: Number(tb.max_tokens ?? tb.maxTokens ?? 0),
      tokensPerFill: Number(tb.tokens_per_fill ?? tb.tokensPerFill ?? 1),
      fillIntervalMs: parseDurationMs(tb.fill_interval ?? tb.fillInterval) ?? 1000,
      enabledPerMillion: perMillion(cfg.filter_enabled ?? cfg.filterEnabled),
      enforcedPerMillion: perMillion(cfg.filter_enforced ?? cfg.filterEnforced),
      responseHeaders: headers,
    });
  }
  return out;
}

/** The patch's routeConfiguration.vhost.name is unset, empty, or this virtual host. */
export function vhostMatches(patch: any, vhost: string | undefined): boolean {
  const want = patch.match?.routeConfiguration?.vhost?.name;
  return !want || want === vhost;
}

/** A token bucket's state. */
export interface TokenBucket {
  tokens: number;
  lastFillMs: number;
}

/** §10: take a token from each enabled limiter; the first empty, enforced one answers 429. */
export function applyLocalRateLimits(limits: LocalRateLimit[], buckets: Map<string, TokenBucket>, nowMs: number, random: Random, stats: ProxyStats): Outcome | undefined {
  for (const l of limits) {
    const prefix = `${l.statPrefix}.http_local_rate_limit`;
    if (!drawFraction(l.enabledPerMillion, random)) continue;
    stats.inc(`${prefix}.enabled`);
    let b = buckets.get(l.id);
    if (!b) buckets.set(l.id, (b = { tokens: l.maxTokens, lastFillMs: nowMs }));
    const fills = Math.floor((nowMs - b.lastFillMs) / l.fillIntervalMs);
    if (fills > 0) {
      b.tokens = Math.min(l.maxTokens, b.tokens + fills * l.tokensPerFill);
      b.lastFillMs += fills * l.fillIntervalMs;
    }
    if (b.tokens >= 1) {
      b.tokens--;
      stats.inc(`${prefix}.ok`);
      continue;
    }
    stats.inc(`${prefix}.rate_limited`);
    if (!drawFraction(l.enforcedPerMillion, random)) continue;
    stats.inc(`${prefix}.enforced`);
    const response = localResponse(429, 'local_rate_limited', { 'x-envoy-ratelimited': 'true', ...l.responseHeaders });
    return { response, flags: ['RL'], details: 'local_rate_limited' };
  }
  return undefined;
}
