// VirtualService retries → Envoy retry policy (§4, [RETRY] `ConvertPolicy`), and Envoy's retry decisions.
import type { Random } from '../../runtime/determinism.js';
import { parseDurationMs } from '../routing/index.js';
import type { MeshResponse } from '../types.js';
import type { ResetReason } from './local-reply.js';

/** An Envoy route retry policy. */
export interface RetryPolicy {
  numRetries: number;
  retryOn: Set<string>;
  retriableStatusCodes: Set<number>;
  perTryTimeoutMs?: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** retry_host_predicate previous_hosts (off with consistent hashing, §4). */
  previousHosts: boolean;
}

/** §4 default retryOn. */
const defaultRetryOn = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/** §4: the default policy — 2 retries; 503 retriable by default only up to Istio 1.23 (§14). */
export function defaultRetryPolicy(atMost: (v: string) => boolean, hashPolicy: boolean): RetryPolicy {
  return {
    numRetries: 2,
    retryOn: new Set(defaultRetryOn.split(',')),
    retriableStatusCodes: new Set(atMost('1.23') ? [503] : []),
    backoffBaseMs: 25,
    backoffMaxMs: 250,
    previousHosts: !hashPolicy,
  };
}

/**
 * §4 the route's Envoy retry policy, as istiod builds it (istio/istio pilot/pkg/networking/core/route/route.go
 * applyHTTPRouteDestination: `policy := in.Retries; if policy == nil { policy = mesh.GetDefaultHttpRetryPolicy() }`,
 * then retry/retry.go ConvertPolicy). A route's `retries` therefore replaces meshConfig.defaultHttpRetryPolicy
 * whole — there is no field-by-field merge of the two — and whichever applies is laid over Istio's built-in
 * default field by field: neither set → the built-in default; attempts ≤ 0 or unset → no retries (so a mesh
 * default without `attempts` turns retries off); else attempts, retryOn, perTryTimeout, backoff and
 * retryIgnorePreviousHosts override the built-in values. The default route (no VirtualService) uses the mesh default too.
 * ⚠ istio/api config.proto says perTryTimeout cannot be set mesh-wide, yet ConvertPolicy copies it; the sandbox follows the code.
 */
export function retryPolicyFrom(retries: any, atMost: (v: string) => boolean, hashPolicy: boolean, meshDefault?: Record<string, unknown>): RetryPolicy | undefined {
  const out = defaultRetryPolicy(atMost, hashPolicy);
  retries ??= meshDefault;
  if (!retries) return out;
  if (!(Number(retries.attempts) > 0)) return undefined;
  out.numRetries = Number(retries.attempts);
  if (retries.retryOn) {
    const tokens = String(retries.retryOn).split(',').map((t) => t.trim()).filter(Boolean);
    const codes = tokens.filter((t) => /^\d+$/.test(t)).map(Number);
    out.retryOn = new Set(tokens.filter((t) => !/^\d+$/.test(t)));
    out.retriableStatusCodes = new Set(codes);
    if (codes.length) out.retryOn.add('retriable-status-codes');
  }
  const perTry = parseDurationMs(retries.perTryTimeout);
  if (perTry) out.perTryTimeoutMs = perTry;
  const backoff = parseDurationMs(retries.backoff);
  if (backoff) {
    out.backoffBaseMs = backoff;
    out.backoffMaxMs = backoff * 10;
  }
  if (retries.retryIgnorePreviousHosts === false) out.previousHosts = false;
  return out;
}

/** gRPC status numbers for the gRPC retryOn tokens. */
const grpcTokens: Record<string, number> = { cancelled: 1, 'deadline-exceeded': 4, 'resource-exhausted': 8, internal: 13, unavailable: 14 };

/** Envoy `wouldRetryFromHeaders`: whether a response is retriable under the policy. */
export function isRetriableResponse(p: RetryPolicy, res: MeshResponse): boolean {
  if (res.headers['x-envoy-overloaded'] !== undefined) return false;
  const s = res.status;
  const on = p.retryOn;
  if (on.has('5xx') && s >= 500) return true;
  if (on.has('gateway-error') && s >= 502 && s <= 504) return true;
  if (on.has('retriable-4xx') && s === 409) return true;
  if (on.has('retriable-status-codes') && p.retriableStatusCodes.has(s)) return true;
  if (on.has('envoy-ratelimited') && res.headers['x-envoy-ratelimited'] !== undefined) return true;
  const grpc = res.headers['grpc-status'];
  return grpc !== undefined && Object.entries(grpcTokens).some(([t, code]) => on.has(t) && Number(grpc) === code);
}

/** Envoy `wouldRetryFromReset`: overflow never; connect failures with connect-failure; any reset with 5xx/gateway-error/reset. */
export function isRetriableReset(p: RetryPolicy, reason: ResetReason): boolean {
  if (reason === 'overflow') return false;
  const on = p.retryOn;
  if (reason === 'connection failure' && (on.has('connect-failure') || on.has('reset-before-request'))) return true;
  return on.has('5xx') || on.has('gateway-error') || on.has('reset');
}

/** A per-try timeout is retried as if the upstream answered 504 (Envoy `onPerTryTimeout`). */
export function isRetriablePerTryTimeout(p: RetryPolicy): boolean {
  return p.retryOn.has('5xx') || p.retryOn.has('gateway-error') || (p.retryOn.has('retriable-status-codes') && p.retriableStatusCodes.has(504));
}

/** §4 fully jittered exponential back-off: retry n waits random in [0, min(base·2ⁿ⁻¹, max)). */
export function backoffDelayMs(p: RetryPolicy, retryNumber: number, random: Random): number {
  const ceiling = Math.min(p.backoffBaseMs * 2 ** Math.max(0, retryNumber - 1), p.backoffMaxMs);
  return Math.floor(random() * ceiling);
}
