// What every request handler shares: the engine's dependencies, the snapshot and proxy of this
// request, and the access-log facts gathered while handling it.
import type { KubeObject } from '../../types.js';
import type { Clock, Random } from '../../runtime/determinism.js';
import type { MeshRequest, MeshResult, MeshSnapshot, PodDelivery, TransportFailure } from '../types.js';
import type { Outcome } from './local-reply.js';
import type { ProxyState } from './proxy-state.js';
import type { SetTimer } from './timers.js';
import type { UpstreamDeps } from './upstream.js';

/** The engine's dependencies with defaults filled in. */
export interface EngineDeps {
  snapshot(): MeshSnapshot;
  deliver: PodDelivery;
  clock: Clock;
  random: Random;
  setTimer: SetTimer;
  /** One access log line of `pod`'s proxy; `side` is SERVER for a sidecar's inbound requests, CLIENT otherwise (Telemetry `match.mode`). */
  accessLog(pod: KubeObject, line: string, side: 'CLIENT' | 'SERVER'): void;
  external: (authority: string, request: MeshRequest, signal?: AbortSignal, source?: KubeObject) => Promise<MeshResult>;
  proxyState(pod: KubeObject): ProxyState;
}

/** One request on one proxy. */
export interface RequestScope {
  deps: EngineDeps;
  snap: MeshSnapshot;
  proxy: ProxyState;
  pod: KubeObject;
  atMost: (v: string) => boolean;
  upstream: UpstreamDeps;
  isGateway: boolean;
  signal?: AbortSignal;
}

/** What a handler produced, plus the access-log fields only it knows. */
export type Handled =
  | ({ outcome: Outcome } & LogFacts)
  | ({ transport: TransportFailure; log: boolean } & LogFacts)
  | ({ downstreamGone: true } & LogFacts);

/** Access-log facts a handler contributes. */
export interface LogFacts {
  cluster?: string;
  upstreamHost?: string;
  routeName?: string;
  serviceTimeMs?: number;
  /** Request as sent upstream (rewritten authority, generated ids). */
  sent?: MeshRequest;
}

/** UpstreamDeps by proxy, rebuilt when the snapshot changes (every request of a proxy would build the same one). */
const upstreamDepsCache = new WeakMap<ProxyState, { snap: MeshSnapshot; deps: EngineDeps; value: UpstreamDeps }>();

/** Build the UpstreamDeps of a scope (`snap` defaults to the engine's current snapshot, the one the scope read in the same tick). */
export function upstreamDepsFor(deps: EngineDeps, proxy: ProxyState, atMost: (v: string) => boolean, snap: MeshSnapshot = deps.snapshot()): UpstreamDeps {
  const hit = upstreamDepsCache.get(proxy);
  if (hit && hit.snap === snap && hit.deps === deps) return hit.value;
  const value = buildUpstreamDeps(deps, proxy, atMost, snap);
  upstreamDepsCache.set(proxy, { snap, deps, value });
  return value;
}

function buildUpstreamDeps(deps: EngineDeps, proxy: ProxyState, atMost: (v: string) => boolean, snap: MeshSnapshot): UpstreamDeps {
  return {
    deliver: deps.deliver,
    external: deps.external,
    random: deps.random,
    now: () => deps.clock.now().getTime(),
    setTimer: deps.setTimer,
    stats: proxy.stats,
    // §5/§14: LEAST_REQUEST default since 1.14, ROUND_ROBIN before.
    leastRequestDefault: !atMost('1.13'),
    // §5/§8: auto mTLS exists since 1.5 and is on unless meshConfig.enableAutoMtls is false
    // (istio/api mesh/v1alpha1/config.proto enable_auto_mtls, "default true").
    autoMtls: !atMost('1.4') && snap.mesh.enableAutoMtls,
  };
}

/** Lower-case header names; add x-request-id and x-forwarded-proto when absent (Envoy HCM). */
export function normalizeRequest(req: MeshRequest, proxy: ProxyState): MeshRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  headers['x-request-id'] ??= proxy.requestId();
  headers['x-forwarded-proto'] ??= 'http';
  return { ...req, path: req.path || '/', headers };
}
