// ShouldRateLimit as envoyproxy/ratelimit answers it (src/service/ratelimit.go, the redis fixed-window
// cache, §10): each descriptor's limit is looked up; its counter key is `<prefix><domain>_<k>_<v>_…_<window
// start>` with the window aligned to the unit (unix seconds / divider × divider); one INCRBY + EXPIRE per key
// in a pipeline; over the limit when the count after the increase exceeds requests_per_unit (shadow_mode
// reports OK). Errors the service returns as gRPC errors: empty domain or descriptors, no config loaded,
// and a redis failure.
import type { DescriptorStatus, RateLimitRequest, RateLimitResponse } from '../mesh/proxy/ratelimit-api.js';
import { unitSeconds } from '../mesh/proxy/ratelimit-api.js';
import { findLimit, type RateLimit, type RateLimitConfig } from './ratelimit-config.js';

/** One counter increment. */
export interface CounterIncrement {
  key: string;
  by: number;
  ttlSeconds: number;
}

/** Where counters live: redis in the sample deployment. */
export interface CounterBackend {
  /** INCRBY + EXPIRE for each item, pipelined; resolves the counts after the increase, rejects on a backend error. */
  incrementAll(items: CounterIncrement[]): Promise<number[]>;
}

/** An error ShouldRateLimit returns (gRPC status UNKNOWN); `redis` for a backend failure. */
export class RateLimitServiceError extends Error {
  constructor(
    message: string,
    readonly kind: 'service' | 'redis',
  ) {
    super(message);
  }
}

/** The cache key of a descriptor under a limit at `nowSeconds` (utils/cache_key_generator.go). */
export function cacheKey(prefix: string, domain: string, entries: { key: string; value: string }[], limit: RateLimit, nowSeconds: number): string {
  const divider = unitSeconds[limit.unit];
  return `${prefix}${domain}_${entries.map((e) => `${e.key}_${e.value ?? ''}_`).join('')}${Math.floor(nowSeconds / divider) * divider}`;
}

function statusOf(limit: RateLimit, after: number, nowSeconds: number): DescriptorStatus {
  const divider = unitSeconds[limit.unit];
  const over = after > limit.requestsPerUnit;
  const remaining = over ? 0 : limit.requestsPerUnit - after;
  return {
    code: over && !limit.shadowMode ? 'OVER_LIMIT' : 'OK',
    currentLimit: { requestsPerUnit: limit.requestsPerUnit, unit: limit.unit, ...(limit.name ? { name: limit.name } : {}) },
    // proto3 JSON leaves zero values out.
    ...(remaining ? { limitRemaining: remaining } : {}),
    durationUntilReset: `${divider - (Math.floor(nowSeconds) % divider)}s`,
  };
}

/** Decide one request; throws RateLimitServiceError for what the service answers with a gRPC error. */
export async function shouldRateLimit(req: RateLimitRequest, config: RateLimitConfig | undefined, backend: CounterBackend, nowSeconds: number, keyPrefix = ''): Promise<RateLimitResponse> {
  if (!req.domain) throw new RateLimitServiceError('rate limit domain must not be empty', 'service');
  if (!req.descriptors?.length) throw new RateLimitServiceError('rate limit descriptor list must not be empty', 'service');
  if (!config) throw new RateLimitServiceError('no rate limit configuration loaded', 'service');
  const limits = req.descriptors.map((d) => findLimit(config, req.domain, d));
  const hits = Math.max(1, Number(req.hitsAddend ?? 0));
  const counted = limits.flatMap((limit, i) => (limit && !limit.unlimited ? [{ i, limit }] : []));
  const items = counted.map(({ i, limit }) => ({ key: cacheKey(keyPrefix, req.domain, req.descriptors[i].entries ?? [], limit, nowSeconds), by: hits, ttlSeconds: unitSeconds[limit.unit] }));
  let counts: number[] = [];
  if (items.length) {
    try {
      counts = await backend.incrementAll(items);
    } catch (err) {
      throw new RateLimitServiceError(String((err as Error).message ?? err), 'redis');
    }
  }
  const statuses: DescriptorStatus[] = limits.map(() => ({ code: 'OK' }));
  counted.forEach(({ i, limit }, n) => (statuses[i] = statusOf(limit, counts[n], nowSeconds)));
  return { overallCode: statuses.some((s) => s.code === 'OVER_LIMIT') ? 'OVER_LIMIT' : 'OK', statuses };
}
