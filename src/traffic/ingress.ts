// The ingress source: finds the gateway Service and resolves its address with the doctor's resolver
// (LoadBalancer → NodePort on a node address, 127.0.0.1 for the sandbox → port-forward to the
// gateway pod). The address is cached per key (a StepContext); a port-forward lives per connection.
import type { Cluster, KubeObject } from '../cluster/types.js';
import { resolveIngressAddress, type IngressAddress } from '../doctor/index.js';

/** Where istioctl and Helm installs put the gateway Service. */
const KNOWN_GATEWAYS = [
  { namespace: 'istio-system', name: 'istio-ingressgateway' },
  { namespace: 'istio-ingress', name: 'istio-ingress' },
];

/** An open way to the gateway: send HTTP to host:port, then close. */
export interface IngressConnection {
  address: IngressAddress;
  host: string;
  port: number;
  /** How it was reached, e.g. "ingress 10.0.0.5:80 (LoadBalancer)". */
  describe: string;
  close(): Promise<void>;
}

interface Resolved {
  address: IngressAddress;
  /** Gateway pod and container port for port-forwarding. */
  forward?: { namespace: string; pod: string; port: number };
}

const cache = new WeakMap<object, Promise<Resolved>>();

/** Finds the gateway Service by known names, then by the istio=ingressgateway / istio=ingress labels. */
export async function findGatewayService(cluster: Cluster): Promise<KubeObject | undefined> {
  for (const ref of KNOWN_GATEWAYS) {
    const service = await cluster.get({ apiVersion: 'v1', kind: 'Service', ...ref }).catch(() => undefined);
    if (service) return service;
  }
  for (const labelSelector of ['istio=ingressgateway', 'istio=ingress']) {
    const { items } = await cluster.list('v1', 'Service', { labelSelector }).catch(() => ({ items: [] as KubeObject[] }));
    if (items[0]) return items[0];
  }
  return undefined;
}

/** The gateway's container port behind the Service's HTTP port (8080 when it cannot tell). */
function gatewayTargetPort(service: KubeObject, pod: KubeObject | undefined): number {
  const ports: { name?: string; port: number; targetPort?: number | string }[] = service.spec?.ports ?? [];
  const http = ports.find((p) => p.name === 'http2') ?? ports.find((p) => p.name === 'http') ?? ports.find((p) => p.port === 80) ?? ports[0];
  if (typeof http?.targetPort === 'number') return http.targetPort;
  const named = (pod?.spec?.containers ?? []).flatMap((c: any) => c.ports ?? []).find((p: any) => p.name === http?.targetPort);
  return named?.containerPort ?? 8080;
}

/** Resolves the gateway address for a cluster (no caching). */
export async function resolveIngress(cluster: Cluster): Promise<Resolved> {
  const service = await findGatewayService(cluster);
  if (!service) {
    throw new Error('no ingress gateway Service (looked for istio-system/istio-ingressgateway, istio-ingress/istio-ingress, label istio=ingressgateway); install Istio with an ingress gateway');
  }
  const namespace = service.metadata.namespace ?? 'istio-system';
  const selector = Object.entries((service.spec?.selector ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  const list = (kind: string, opts: { namespace?: string; labelSelector?: string }) => cluster.list('v1', kind, opts).then((r) => r.items, () => [] as KubeObject[]);
  const pods = selector ? await list('Pod', { namespace, labelSelector: selector }) : [];
  const nodes = cluster.target.sandbox ? [] : await list('Node', {});
  let address = resolveIngressAddress({ service, nodes, pods });
  const nodePort = (service.spec?.ports ?? []).find((p: any) => p.name === 'http2' || p.name === 'http' || p.port === 80)?.nodePort;
  const loopback = /^(127\.|localhost$|::1$)/.test(address.host);
  if (cluster.target.sandbox && nodePort && !(address.method === 'loadBalancer' && loopback)) {
    // The sandbox serves NodePorts on this machine; its node and load-balancer addresses may be virtual.
    address = { ...address, method: 'nodePort', host: '127.0.0.1', port: nodePort, command: undefined };
  }
  if (address.method !== 'portForward') return { address };
  const pod = pods.find((p) => p.status?.phase === 'Running') ?? pods[0];
  if (!pod) throw new Error(`the ingress gateway ${namespace}/${service.metadata.name} has no external address and no pod to port-forward to`);
  return { address, forward: { namespace, pod: pod.metadata.name!, port: gatewayTargetPort(service, pod) } };
}

/** Opens the gateway for sending: resolves once per `cacheKey`, port-forwards when needed. */
export async function openIngress(cluster: Cluster, cacheKey: object = cluster): Promise<IngressConnection> {
  let resolved = cache.get(cacheKey);
  if (!resolved) {
    resolved = resolveIngress(cluster);
    cache.set(cacheKey, resolved);
    resolved.catch(() => cache.delete(cacheKey));
  }
  const { address, forward } = await resolved;
  const label = { loadBalancer: 'LoadBalancer', nodePort: 'NodePort', portForward: 'port-forward' }[address.method];
  if (!forward) return { address, host: address.host, port: address.port, describe: `ingress ${address.host}:${address.port} (${label})`, close: async () => undefined };
  const pf = await cluster.portForward(forward.namespace, forward.pod, forward.port);
  return {
    address,
    host: '127.0.0.1',
    port: pf.localPort,
    describe: `ingress via port-forward to ${forward.namespace}/${forward.pod}:${forward.port}`,
    close: () => pf.close(),
  };
}
