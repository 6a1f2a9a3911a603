// One upstream attempt (§4, §5): host selection over non-ejected endpoints (panic threshold =
// minHealthPercent), the connection pool, the upstream transport (mTLS), delivery with a per-try
// timeout, and what the outlier detector and stats hear about it.
import type { KubeObject } from '../../types.js';
import type { Random } from '../../runtime/determinism.js';
import type { Cluster, Endpoint } from '../routing/index.js';
import { isTransportFailure, type MeshRequest, type MeshResponse, type MeshResult, type PodDelivery, type TransportFailure } from '../types.js';
import type { ResetReason } from './local-reply.js';
import { pickHost } from './load-balancer.js';
import type { ClusterState } from './proxy-state.js';
import { clusterStat, countResponseCode, type ProxyStats } from './stats.js';
import { whenAborted, type SetTimer } from './timers.js';
import { upstreamTransport } from './upstream-tls.js';

/** The proxy-wide facilities an attempt uses. */
export interface UpstreamDeps {
  deliver: PodDelivery;
  external: (authority: string, request: MeshRequest, signal?: AbortSignal, source?: KubeObject) => Promise<MeshResult>;
  random: Random;
  now: () => number;
  setTimer: SetTimer;
  stats: ProxyStats;
  leastRequestDefault: boolean;
  autoMtls: boolean;
}

/** One attempt's inputs. */
export interface AttemptInput {
  cluster: Cluster;
  state: ClusterState;
  request: MeshRequest;
  source: KubeObject;
  /** Consistent-hash value of the request, if any. */
  hash?: number;
  /** Hosts tried already (retry_host_predicate previous_hosts). */
  previous?: Set<string>;
  perTryTimeoutMs?: number;
  /** Aborted on route timeout (reason `timeout`) or downstream disconnect. */
  signal: AbortSignal;
}

/** How one attempt ended. */
export type AttemptResult =
  | { kind: 'response'; response: MeshResponse; host: Endpoint; serviceTimeMs: number }
  | { kind: 'reset'; reason: ResetReason; host?: Endpoint; transportFailure?: string }
  | { kind: 'no-healthy' }
  | { kind: 'per-try-timeout'; host: Endpoint }
  | { kind: 'aborted'; host?: Endpoint }
  | { kind: 'transport'; failure: TransportFailure };

/** Envoy reset reason for a transport failure reported by the network (§4). */
const resetFor: Record<TransportFailure['failure'], ResetReason> = {
  'connect-refused': 'connection failure',
  timeout: 'connection failure',
  tls: 'connection failure',
  dns: 'connection failure',
  reset: 'connection termination',
  'empty-reply': 'connection termination',
};

/** §5: endpoints usable now — non-ejected, or all of them in panic mode (healthy % < minHealthPercent). */
export function usableHosts(cluster: Cluster, state: ClusterState, nowMs: number): Endpoint[] {
  const od = state.outlier;
  if (!od) return cluster.endpoints;
  const healthy = cluster.endpoints.filter((e) => !od.isEjected(e.key, nowMs));
  const all = cluster.endpoints.length;
  if (all && (healthy.length * 100) / all < od.config.minHealthPercent) return cluster.endpoints;
  return healthy;
}

/** Pick a host, re-picking up to 5 times to avoid previously tried hosts (§4). */
export function chooseHost(deps: UpstreamDeps, input: Pick<AttemptInput, 'cluster' | 'state' | 'hash' | 'previous'>, hosts: Endpoint[]): Endpoint {
  const { state, cluster } = input;
  const pick = () => pickHost(cluster.policy.loadBalancer, state.lb, { hosts, active: (k) => state.active.get(k) ?? 0, hash: input.hash }, deps.random, deps.leastRequestDefault);
  let host = pick();
  for (let i = 0; i < 5 && input.previous?.has(host.key) && hosts.length > 1; i++) host = pick();
  return host;
}

/** Send the request to an endpoint: a pod through `deliver`, anything else through `external`. */
export function sendToEndpoint(deps: UpstreamDeps, host: Endpoint, req: MeshRequest, mtls: boolean, source: KubeObject, signal: AbortSignal): Promise<MeshResult> {
  const p = host.pod ? deps.deliver(host.pod, host.port, req, { mtls, source, signal }) : deps.external(host.external || req.authority, req, signal, source);
  return p.catch((err: unknown): TransportFailure => ({ failure: 'reset', message: String((err as Error)?.message ?? err) }));
}

/** Run one attempt. */
export async function runAttempt(deps: UpstreamDeps, input: AttemptInput): Promise<AttemptResult> {
  const { cluster, state, signal } = input;
  const hosts = usableHosts(cluster, state, deps.now());
  if (!hosts.length) return { kind: 'no-healthy' };
  const host = chooseHost(deps, input, hosts);
  const transport = upstreamTransport(cluster.policy.tls, host, deps.autoMtls);
  const got = await state.pool.acquire(host.key, signal);
  if ('overflow' in got) return { kind: 'reset', reason: 'overflow', host };
  if ('aborted' in got) return { kind: 'aborted', host };
  const stat = (s: string) => deps.stats.inc(clusterStat(cluster.name, s));
  if ('tlsFailure' in transport) {
    got.lease.release(false);
    stat('upstream_cx_connect_fail');
    reportOutlier(deps, input, host, { localOrigin: 'connect-failed' });
    return { kind: 'reset', reason: 'connection failure', host, transportFailure: transport.tlsFailure };
  }
  stat('upstream_rq_total');
  state.active.set(host.key, (state.active.get(host.key) ?? 0) + 1);
  // A per-try timeout needs a signal of its own; without one the attempt ends with the request's.
  const ctl = input.perTryTimeoutMs ? new AbortController() : undefined;
  const attemptSignal = ctl?.signal ?? signal;
  const onAbort = () => ctl?.abort(signal.reason);
  if (ctl) signal.addEventListener('abort', onAbort, { once: true });
  let perTryFired = false;
  const cancelPerTry = ctl ? deps.setTimer(input.perTryTimeoutMs!, () => ((perTryFired = true), ctl.abort('per-try'))) : () => {};
  const started = deps.now();
  const aborted = whenAborted(attemptSignal);
  try {
    const result = await Promise.race([sendToEndpoint(deps, host, input.request, transport.mtls, input.source, attemptSignal), aborted.promise]);
    if (result === 'aborted' || attemptSignal.aborted) {
      got.lease.release(false);
      if (perTryFired) {
        stat('upstream_rq_per_try_timeout');
        reportOutlier(deps, input, host, { localOrigin: 'timeout' });
        return { kind: 'per-try-timeout', host };
      }
      if (signal.reason === 'timeout') reportOutlier(deps, input, host, { localOrigin: 'timeout' });
      return { kind: 'aborted', host };
    }
    if (isTransportFailure(result)) {
      got.lease.release(false);
      if (result.failure === 'dns') return { kind: 'transport', failure: result };
      const reason = resetFor[result.failure];
      if (reason === 'connection failure') stat('upstream_cx_connect_fail');
      reportOutlier(deps, input, host, { localOrigin: 'connect-failed' });
      return { kind: 'reset', reason, host, ...(result.failure === 'tls' ? { transportFailure: result.message } : {}) };
    }
    got.lease.release(result.headers.connection !== 'close');
    countResponseCode(deps.stats, cluster.name, result.status);
    reportOutlier(deps, input, host, { status: result.status });
    return { kind: 'response', response: result, host, serviceTimeMs: deps.now() - started };
  } finally {
    cancelPerTry();
    aborted.dispose();
    if (ctl) signal.removeEventListener('abort', onAbort);
    state.active.set(host.key, Math.max(0, (state.active.get(host.key) ?? 1) - 1));
  }
}

function reportOutlier(deps: UpstreamDeps, input: AttemptInput, host: Endpoint, result: { status: number } | { localOrigin: 'connect-failed' | 'timeout' }): void {
  input.state.outlier?.report(host.key, result, deps.now(), input.cluster.endpoints.length);
}
