// Shapes shared by the emulated Istio data plane: requests and responses as the proxies see them,
// which proxy is handling a request, the config snapshot proxies are programmed with, and the
// network seam through which pods and tools send traffic.
import type { KubeObject } from '../types.js';
import type { MeshConfig } from './mesh-config.js';

/** An HTTP request inside the mesh. Header names are lower-case. */
export interface MeshRequest {
  method: string;
  /** Path with query string, e.g. `/status/418?x=1`. */
  path: string;
  /** The authority (Host header), possibly with `:port`. */
  authority: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** An HTTP response inside the mesh. Header names are lower-case. */
export interface MeshResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A failure below HTTP, as a client would see it (curl maps these to exit codes 6/7/28/35/52/56). */
export interface TransportFailure {
  failure: 'dns' | 'connect-refused' | 'reset' | 'empty-reply' | 'timeout' | 'tls';
  message: string;
}

/** Outcome of sending a request. */
export type MeshResult = MeshResponse | TransportFailure;

/** True when the result is a transport failure. */
export function isTransportFailure(r: MeshResult): r is TransportFailure {
  return (r as TransportFailure).failure !== undefined;
}

/** The proxy handling a request: a gateway listener, or a pod's sidecar (outbound side). */
export type ProxyIdentity =
  | { kind: 'gateway'; pod: KubeObject; /** Container port the listener is on, after §6 port translation (e.g. 8080). */ port: number }
  | { kind: 'sidecar'; pod: KubeObject };

/** Everything proxies are programmed from, as of one propagation of config (§ propagation delay). */
export interface MeshSnapshot {
  /** Istio version being emulated (`1.30`); switches §14 behaviours. */
  istioVersion: string;
  /** meshConfig.outboundTrafficPolicy.mode. */
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  virtualServices: KubeObject[];
  destinationRules: KubeObject[];
  gateways: KubeObject[];
  serviceEntries: KubeObject[];
  peerAuthentications: KubeObject[];
  envoyFilters: KubeObject[];
  /** Sidecar resources (only their outboundTrafficPolicy is modelled); absent = none. */
  sidecars?: KubeObject[];
  /** The meshConfig fields the sandbox honours (mesh-config.ts), parsed once per snapshot. */
  mesh: MeshConfig;
  /** Telemetry resources (telemetry.istio.io; only accessLogging is modelled); absent = none. */
  telemetries?: KubeObject[];
  services: KubeObject[];
  /** Pods that are Running with an IP (ready or not; readiness is checked per endpoint). */
  pods: KubeObject[];
  /** Cluster domain suffix, `cluster.local`. */
  domain: string;
}

/** Sends a request to one pod's port and returns what its inbound side answers. */
export type PodDelivery = (pod: KubeObject, port: number, request: MeshRequest, meta: { mtls: boolean; source?: KubeObject; signal?: AbortSignal }) => Promise<MeshResult>;

/** One HTTP exchange with the app listening on a pod's port, with no proxy in between (the runtime's exchangePod). */
export type PodExchange = (pod: KubeObject, port: number, request: MeshRequest, signal?: AbortSignal) => Promise<MeshResult>;

/** How a pod (its app or a tool exec'd in it) sends traffic: through its sidecar when it has one. */
export interface PodNetwork {
  /** Send an HTTP request from `pod` to `url` (http://host[:port]/path); resolves Kubernetes DNS names. */
  fetch(pod: KubeObject, url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer; timeoutMs?: number; signal?: AbortSignal }): Promise<MeshResult>;
  /** Envoy admin `stats` text of the pod's proxy (what `pilot-agent request GET stats` prints); undefined without a mesh. */
  proxyStats?(pod: KubeObject): string | undefined;
  /** Envoy's /stats/prometheus text of the pod's proxy (Istio standard metrics first); undefined without a mesh. */
  proxyPrometheus?(pod: KubeObject): string | undefined;
}
