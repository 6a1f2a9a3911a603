// The ratelimit filter's gRPC client (§10): one ShouldRateLimit call through the Envoy cluster the
// filter names (e.g. `outbound|8081||ratelimit.default.svc.cluster.local`), so the answer depends on
// that Service having a Ready, reachable endpoint — it goes through the cluster's connection pool,
// auto mTLS and the ratelimit pod's sidecar like any upstream request — bounded by the filter's
// `timeout`. Anything but a well-formed OK reply (no cluster, no healthy endpoint, reset, timeout,
// non-zero grpc-status) is an error for the filter to handle per failure_mode_deny.
// Derived difference: Envoy rejects a listener whose envoy_grpc cluster does not exist (LDS NACK, the
// previous config stays); the sandbox instead fails each call.
import type { KubeObject } from '../../types.js';
import { resolveCluster } from '../routing/index.js';
import type { EngineDeps } from './context.js';
import { upstreamDepsFor } from './context.js';
import type { GlobalRateLimitFilter } from './global-rate-limit-config.js';
import { decodeGrpcFrame, encodeGrpcFrame, grpcJsonContentType, shouldRateLimitPath, type RateLimitRequest, type RateLimitResponse } from './ratelimit-api.js';
import { runAttempt } from './upstream.js';
import { versionGate } from './versions.js';

/** How a call ended: the service's answer, or an error (with a reason for logs and tests). */
export type LimitStatus = { kind: 'ok' | 'over-limit'; response: RateLimitResponse } | { kind: 'error'; reason: string };

/** Call the rate limit service from `pod`'s proxy. */
export async function callRateLimitService(deps: EngineDeps, pod: KubeObject, filter: GlobalRateLimitFilter, request: RateLimitRequest, signal?: AbortSignal): Promise<LimitStatus> {
  const m = /^outbound\|(\d+)\|([^|]*)\|(.+)$/.exec(filter.clusterName ?? '');
  if (!m) return { kind: 'error', reason: `unknown gRPC client cluster '${filter.clusterName ?? ''}'` };
  const snap = deps.snapshot();
  const atMost = versionGate(snap.istioVersion);
  const client = { namespace: pod.metadata.namespace ?? 'default', labels: pod.metadata.labels ?? {} };
  const port = Number(m[1]);
  const lookup = resolveCluster(snap, client, { host: m[3], ...(m[2] ? { subset: m[2] } : {}), port: { number: port } }, client.namespace, port);
  if ('missing' in lookup) return { kind: 'error', reason: `cluster '${filter.clusterName}' not found` };
  const proxy = deps.proxyState(pod);
  const upstream = upstreamDepsFor(deps, proxy, atMost);
  const state = proxy.cluster(lookup.cluster, upstream.now(), atMost);
  const ctl = new AbortController();
  const onAbort = () => ctl.abort('downstream');
  signal?.addEventListener('abort', onAbort, { once: true });
  const cancel = deps.setTimer(filter.timeoutMs, () => ctl.abort('timeout'));
  try {
    const result = await runAttempt(upstream, {
      cluster: lookup.cluster,
      state,
      source: pod,
      signal: ctl.signal,
      request: {
        method: 'POST',
        path: shouldRateLimitPath,
        authority: filter.authority ?? filter.clusterName!,
        headers: { 'content-type': grpcJsonContentType, 'grpc-timeout': `${Math.max(1, Math.round(filter.timeoutMs))}m`, 'x-request-id': proxy.requestId() },
        body: encodeGrpcFrame(request),
      },
    });
    if (result.kind !== 'response') return { kind: 'error', reason: ctl.signal.reason === 'timeout' ? 'timeout' : result.kind };
    const grpcStatus = result.response.headers['grpc-status'];
    const message = decodeGrpcFrame<RateLimitResponse>(result.response.body);
    if (result.response.status !== 200 || grpcStatus !== '0' || !message) return { kind: 'error', reason: `status ${result.response.status}, grpc-status ${grpcStatus ?? '-'} ${decodeURIComponent(result.response.headers['grpc-message'] ?? '')}`.trim() };
    // Envoy's client: OVER_LIMIT is over the limit; anything else (UNKNOWN included) is OK.
    return { kind: message.overallCode === 'OVER_LIMIT' ? 'over-limit' : 'ok', response: message };
  } finally {
    cancel();
    signal?.removeEventListener('abort', onAbort);
  }
}
