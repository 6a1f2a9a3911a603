// Test harness for the proxy engine: plain-object Istio/Kubernetes config, a manual clock, a seeded
// Random and a fake `deliver` that records calls and answers like an app.
import type { KubeObject } from '../../../../src/sandbox/types.js';
import type { MeshRequest, MeshResponse, MeshResult, MeshSnapshot } from '../../../../src/sandbox/mesh/types.js';
import { createSeededRandom } from '../../../../src/sandbox/runtime/determinism.js';
import { createProxyEngine, type ProxyEngine } from '../../../../src/sandbox/mesh/proxy/index.js';
import { defaultMeshConfig, type MeshConfig } from '../../../../src/sandbox/mesh/mesh-config.js';

let ipCounter = 10;
let created = 0;

/** A creation timestamp later than every earlier one (order of creation in tests). */
function nextCreated(): string {
  return new Date(Date.UTC(2026, 0, 1, 0, 0, created++)).toISOString();
}

/** A Service. */
export function service(name: string, ns: string, ports: { port: number; targetPort?: number | string; name?: string }[], selector: Record<string, string> = { app: name }, clusterIP?: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, creationTimestamp: nextCreated() }, spec: { selector, clusterIP: clusterIP ?? `10.96.0.${ipCounter++}`, ports: ports.map((p) => ({ protocol: 'TCP', ...p })) } };
}

/** A running pod with an IP; ready and with an istio-proxy sidecar unless told otherwise. */
export function pod(name: string, ns: string, labels: Record<string, string>, opts: { ready?: boolean; sidecar?: boolean; ports?: { containerPort: number; name?: string }[]; ip?: string; sa?: string } = {}): KubeObject {
  const containers: any[] = [{ name: 'app', image: 'app', ports: opts.ports ?? [] }];
  if (opts.sidecar !== false) containers.push({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.0' });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    // Every stat opted in, as Istio's fortio sample does for cluster stats (see stats-inclusion.ts).
    metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, labels, creationTimestamp: nextCreated(), annotations: { 'proxy.istio.io/config': 'proxyStatsMatcher:\n  inclusionRegexps: [".*"]' } },
    spec: { containers, serviceAccountName: opts.sa ?? labels.app ?? 'default' },
    status: { phase: 'Running', podIP: opts.ip ?? `10.244.0.${ipCounter++}`, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

/** An Istio config object of `kind`. */
export function istio(kind: string, name: string, ns: string, spec: any, group = 'networking.istio.io'): KubeObject {
  return { apiVersion: `${group}/v1`, kind, metadata: { name, namespace: ns, creationTimestamp: nextCreated(), resourceVersion: '1' }, spec };
}

/** A VirtualService. */
export const vs = (name: string, ns: string, spec: any) => istio('VirtualService', name, ns, spec);
/** A DestinationRule. */
export const dr = (name: string, ns: string, spec: any) => istio('DestinationRule', name, ns, spec);
/** A Gateway. */
export const gw = (name: string, ns: string, spec: any) => istio('Gateway', name, ns, spec);
/** A ServiceEntry. */
export const se = (name: string, ns: string, spec: any) => istio('ServiceEntry', name, ns, spec);
/** A PeerAuthentication. */
export const pa = (name: string, ns: string, spec: any) => istio('PeerAuthentication', name, ns, spec, 'security.istio.io');
/** An EnvoyFilter. */
export const ef = (name: string, ns: string, spec: any) => istio('EnvoyFilter', name, ns, spec);

/** Sort config objects into a MeshSnapshot; `mesh` overrides istiod's meshConfig defaults (the harness records every access log line: the accessLogFile/Telemetry gate is the sandbox's access-log-sink). */
export function snapshot(objects: KubeObject[], opts: Partial<Pick<MeshSnapshot, 'istioVersion' | 'outboundTrafficPolicy'>> & { mesh?: Partial<MeshConfig> } = {}): MeshSnapshot {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const mesh: MeshConfig = { ...defaultMeshConfig(opts.istioVersion), ...opts.mesh };
  if (opts.outboundTrafficPolicy) mesh.outboundTrafficPolicy = opts.outboundTrafficPolicy;
  return {
    istioVersion: opts.istioVersion ?? '1.30',
    outboundTrafficPolicy: mesh.outboundTrafficPolicy,
    mesh,
    telemetries: of('Telemetry'),
    virtualServices: of('VirtualService'),
    destinationRules: of('DestinationRule'),
    gateways: of('Gateway'),
    serviceEntries: of('ServiceEntry'),
    peerAuthentications: of('PeerAuthentication'),
    envoyFilters: of('EnvoyFilter'),
    services: of('Service'),
    pods: of('Pod'),
    domain: 'cluster.local',
  };
}

/** One recorded delivery. */
export interface Delivery {
  pod: string;
  port: number;
  request: MeshRequest;
  mtls: boolean;
  source?: string;
}

/** What the fake app answers. */
export type FakeApp = (pod: KubeObject, port: number, req: MeshRequest, signal?: AbortSignal) => MeshResult | Promise<MeshResult>;

/** A response with a text body. */
export function reply(status: number, body = '', headers: Record<string, string> = {}): MeshResponse {
  return { status, headers: { 'content-type': 'text/plain', ...headers }, body: Buffer.from(body) };
}

/** Default app: 200 with the pod name as body. */
export const echoPodName: FakeApp = (p) => reply(200, p.metadata.name!);

/** A wait that resolves after `ms` real milliseconds, or early on abort. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

/** A running engine over a fixed (replaceable) snapshot. */
export interface Harness {
  engine: ProxyEngine;
  deliveries: Delivery[];
  logs: { pod: string; line: string }[];
  externals: { authority: string; request: MeshRequest }[];
  setSnapshot(s: MeshSnapshot): void;
  advance(ms: number): void;
  /** Send from a sidecar pod. */
  send(from: KubeObject, authority: string, path?: string, headers?: Record<string, string>, method?: string): Promise<MeshResult>;
  logsOf(pod: KubeObject): string[];
}

/** Build a harness. Deliveries to sidecar pods go through engine.inbound like the glue does. */
export function harness(snap: MeshSnapshot, opts: { seed?: number; app?: FakeApp; external?: (authority: string, req: MeshRequest) => Promise<MeshResult> } = {}): Harness {
  let current = snap;
  let now = Date.UTC(2026, 0, 1);
  const deliveries: Delivery[] = [];
  const logs: { pod: string; line: string }[] = [];
  const externals: { authority: string; request: MeshRequest }[] = [];
  const app = opts.app ?? echoPodName;
  const engine: ProxyEngine = createProxyEngine({
    snapshot: () => current,
    clock: { now: () => new Date(now) },
    random: createSeededRandom(opts.seed ?? 1),
    accessLog: (p, line) => logs.push({ pod: p.metadata.name!, line }),
    external: async (authority, request) => {
      externals.push({ authority, request });
      return opts.external ? opts.external(authority, request) : { failure: 'dns', message: 'Could not resolve host' };
    },
    deliver: async (p, port, request, meta) => {
      deliveries.push({ pod: p.metadata.name!, port, request, mtls: meta.mtls, source: meta.source?.metadata.name });
      const run = (req: MeshRequest) => Promise.resolve(app(p, port, req, meta.signal));
      const hasSidecar = (p.spec?.containers ?? []).some((c: any) => c.name === 'istio-proxy');
      return hasSidecar ? engine.inbound(p, port, request, meta, run) : run(request);
    },
  });
  return {
    engine,
    deliveries,
    logs,
    externals,
    setSnapshot: (s) => (current = s),
    advance: (ms) => (now += ms),
    send: (from, authority, path = '/', headers = {}, method = 'GET') => engine.outbound({ kind: 'sidecar', pod: from }, { method, path, authority, headers }),
    logsOf: (p) => logs.filter((l) => l.pod === p.metadata.name).map((l) => l.line),
  };
}

/** Status of a result (transport failures as their failure name). */
export function statusOf(r: MeshResult): number | string {
  return 'failure' in r ? r.failure : r.status;
}

/** Body text of a response result. */
export function bodyOf(r: MeshResult): string {
  return 'failure' in r ? `<${r.failure}>` : r.body.toString();
}

/** Headers of a response result. */
export function headersOf(r: MeshResult): Record<string, string> {
  return 'failure' in r ? {} : r.headers;
}

/** The standard little world: a sleep client and httpbin (8000→8080) in `default`, two reviews versions. */
export function world() {
  const sleep = pod('sleep-1', 'default', { app: 'sleep' });
  const httpbin = pod('httpbin-1', 'default', { app: 'httpbin', version: 'v1' }, { ports: [{ containerPort: 8080, name: 'http' }] });
  const reviewsV1 = pod('reviews-v1', 'default', { app: 'reviews', version: 'v1' });
  const reviewsV2 = pod('reviews-v2', 'default', { app: 'reviews', version: 'v2' });
  const httpbinSvc = service('httpbin', 'default', [{ port: 8000, targetPort: 8080, name: 'http' }]);
  const reviewsSvc = service('reviews', 'default', [{ port: 9080, name: 'http' }]);
  const reviewsDr = dr('reviews', 'default', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
  return { sleep, httpbin, reviewsV1, reviewsV2, httpbinSvc, reviewsSvc, reviewsDr, base: [sleep, httpbin, reviewsV1, reviewsV2, httpbinSvc, reviewsSvc] };
}
