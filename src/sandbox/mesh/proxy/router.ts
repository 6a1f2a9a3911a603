// Envoy's router for one request (§4): attempts with `x-envoy-attempt-count`, the route timeout
// over all attempts and back-off, per-try timeouts, the retry policy with jittered back-off and the
// retry circuit breaker, and the final reply (upstream response or §13 local reply, URX when exhausted).
import type { Endpoint } from '../routing/index.js';
import type { MeshRequest, TransportFailure } from '../types.js';
import { localReplies, upstreamResetReply, type Outcome } from './local-reply.js';
import { backoffDelayMs, isRetriablePerTryTimeout, isRetriableReset, isRetriableResponse, type RetryPolicy } from './retry-policy.js';
import { clusterStat } from './stats.js';
import { sleep } from './timers.js';
import { runAttempt, type AttemptInput, type AttemptResult, type UpstreamDeps } from './upstream.js';

/** Inputs of one routed request. */
export interface ForwardInput extends Omit<AttemptInput, 'previous' | 'perTryTimeoutMs' | 'signal' | 'request'> {
  request: MeshRequest;
  retry?: RetryPolicy;
  /** Route timeout (0/undefined = none, §4). */
  timeoutMs?: number;
  /** Overrides the policy's per-try timeout (x-envoy-upstream-rq-per-try-timeout-ms). */
  perTryTimeoutMs?: number;
  downstreamSignal?: AbortSignal;
}

/** What the router produced. */
export type ForwardResult =
  | { outcome: Outcome; host?: Endpoint; serviceTimeMs?: number; attempts: number }
  | { transport: TransportFailure; host?: Endpoint; attempts: number }
  | { downstreamGone: true; host?: Endpoint; attempts: number };

type Verdict = { outcome?: Outcome; retriable: boolean };
/** How each attempt result ends the request, and whether the retry policy wants another try. */
const verdicts: { [K in AttemptResult['kind']]: (x: Extract<AttemptResult, { kind: K }>, retry: RetryPolicy | undefined, retried: boolean) => Verdict } = {
  response: (x, retry) => ({ outcome: { response: x.response, flags: [], details: 'via_upstream' }, retriable: !!retry && isRetriableResponse(retry, x.response) }),
  reset: (x, retry, retried) => ({ outcome: upstreamResetReply(x.reason, retried, x.transportFailure), retriable: !!retry && isRetriableReset(retry, x.reason) }),
  'no-healthy': () => ({ outcome: localReplies.noHealthyUpstream(), retriable: false }),
  'per-try-timeout': (_x, retry) => ({ outcome: localReplies.perTryTimeout(), retriable: !!retry && isRetriablePerTryTimeout(retry) }),
  aborted: () => ({ retriable: false }),
  transport: () => ({ retriable: false }),
};

/** The reply an attempt would end the request with, and whether the retry policy wants another try. */
function judge(r: AttemptResult, retry: RetryPolicy | undefined, attempts: number): Verdict {
  return (verdicts[r.kind] as (x: AttemptResult, retry: RetryPolicy | undefined, retried: boolean) => Verdict)(r, retry, attempts > 1);
}

/** §4: route a request upstream with retries and timeouts. */
export async function forward(deps: UpstreamDeps, input: ForwardInput): Promise<ForwardResult> {
  const { retry, timeoutMs, state, cluster } = input;
  const stat = (s: string) => deps.stats.inc(clusterStat(cluster.name, s));
  // A signal of its own only when a route timeout can end the request; otherwise only the downstream can.
  const ctl = timeoutMs || !input.downstreamSignal ? new AbortController() : undefined;
  const signal = ctl?.signal ?? input.downstreamSignal!;
  const onDownstreamAbort = () => ctl?.abort('downstream');
  if (ctl) input.downstreamSignal?.addEventListener('abort', onDownstreamAbort, { once: true });
  if (ctl && input.downstreamSignal?.aborted) ctl.abort('downstream');
  const cancelRouteTimer = ctl && timeoutMs ? deps.setTimer(timeoutMs, () => ctl.abort('timeout')) : () => {};
  // A per-try timeout ≥ the route timeout is ignored (§4 `finalTimeout`).
  const perTryRaw = input.perTryTimeoutMs ?? retry?.perTryTimeoutMs;
  const perTry = perTryRaw && (!timeoutMs || perTryRaw < timeoutMs) ? perTryRaw : undefined;
  const expected = perTry ?? timeoutMs;
  const previous = new Set<string>();
  let attempts = 0;
  let retrying = false;
  let host: Endpoint | undefined;
  try {
    while (true) {
      attempts++;
      const headers = { ...input.request.headers, 'x-envoy-attempt-count': String(attempts), ...(expected ? { 'x-envoy-expected-rq-timeout-ms': String(expected) } : {}) };
      const r = await runAttempt(deps, { ...input, request: { ...input.request, headers }, previous, perTryTimeoutMs: perTry, signal });
      if (retrying) input.state.pool.endRetry();
      retrying = false;
      if ('host' in r && r.host) {
        host = r.host;
        previous.add(r.host.key);
      }
      if (signal.aborted) return aborted(signal.reason, host, attempts, stat);
      if (r.kind === 'transport') return { transport: r.failure, host, attempts };
      const verdict = judge(r, retry, attempts);
      const outcome = verdict.outcome!;
      const serviceTimeMs = r.kind === 'response' ? r.serviceTimeMs : undefined;
      if (!verdict.retriable || !retry) {
        if (attempts > 1 && r.kind === 'response') stat('upstream_rq_retry_success');
        return { outcome, host, serviceTimeMs, attempts };
      }
      if (attempts > retry.numRetries) {
        stat('upstream_rq_retry_limit_exceeded');
        return { outcome: { ...outcome, flags: [...outcome.flags, 'URX'] }, host, serviceTimeMs, attempts };
      }
      if (!state.pool.tryStartRetry()) return { outcome, host, serviceTimeMs, attempts };
      retrying = true;
      stat('upstream_rq_retry');
      stat('upstream_rq_retry_backoff_exponential');
      const waited = await sleep(deps.setTimer, backoffDelayMs(retry, attempts, deps.random), signal);
      if (!waited) {
        input.state.pool.endRetry();
        retrying = false;
        return aborted(signal.reason, host, attempts, stat);
      }
    }
  } finally {
    cancelRouteTimer();
    if (ctl) input.downstreamSignal?.removeEventListener('abort', onDownstreamAbort);
  }
}

function aborted(reason: unknown, host: Endpoint | undefined, attempts: number, stat: (s: string) => void): ForwardResult {
  if (reason !== 'timeout') return { downstreamGone: true, host, attempts };
  stat('upstream_rq_timeout');
  return { outcome: localReplies.routeTimeout(), host, attempts };
}
