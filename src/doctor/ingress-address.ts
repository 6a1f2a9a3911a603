// Resolves the Istio ingress gateway's address the way labs need it (istio.io's ingress tasks):
// LoadBalancer ip/hostname → NodePort on a node address → port-forward to the gateway pod.
// Pure: it reads the Service, Nodes and Pods it is given.
import type { KubeObject } from '../cluster/types.js';

/** How traffic reaches the gateway. */
export type IngressMethod = 'loadBalancer' | 'nodePort' | 'portForward';

/** The gateway address as INGRESS_HOST / INGRESS_PORT, and how it was found. */
export interface IngressAddress {
  method: IngressMethod;
  /** The gateway Service (INGRESS_NAME / INGRESS_NS). */
  name: string;
  namespace: string;
  host: string;
  port: number;
  securePort?: number;
  /** What to run first (port-forward only). */
  command?: string;
}

/** Inputs: the gateway Service, the cluster's Nodes and the gateway's Pods (either may be empty). */
export interface IngressInput {
  service: KubeObject;
  nodes: readonly KubeObject[];
  pods: readonly KubeObject[];
  /** Local port for port-forwarding (default 8080). */
  localPort?: number;
}

interface ServicePort {
  name?: string;
  port: number;
  nodePort?: number;
  targetPort?: number | string;
}

/** The HTTP port: named http2 (Istio's charts), else http, else 80, else the first. */
function selectHttpPort(ports: readonly ServicePort[]): ServicePort | undefined {
  return ports.find((p) => p.name === 'http2') ?? ports.find((p) => p.name === 'http') ?? ports.find((p) => p.port === 80) ?? ports[0];
}

/** The HTTPS port: named https, else 443. */
function selectHttpsPort(ports: readonly ServicePort[]): ServicePort | undefined {
  return ports.find((p) => p.name === 'https') ?? ports.find((p) => p.port === 443);
}

/** A node's address: ExternalIP first (reachable from outside), then InternalIP. */
function selectNodeAddress(node: KubeObject | undefined): string | undefined {
  const addresses: { type: string; address: string }[] = node?.status?.addresses ?? [];
  return addresses.find((a) => a.type === 'ExternalIP')?.address ?? addresses.find((a) => a.type === 'InternalIP')?.address;
}

/** A node address for NodePort traffic: the gateway pod's node first, then any node, then the pod's hostIP. */
function findNodeHost(nodes: readonly KubeObject[], pods: readonly KubeObject[]): string | undefined {
  const podNodes = new Set(pods.map((p) => p.spec?.nodeName).filter(Boolean));
  const ordered = [...nodes.filter((n) => podNodes.has(n.metadata.name)), ...nodes];
  for (const node of ordered) {
    const address = selectNodeAddress(node);
    if (address) return address;
  }
  return pods.map((p) => p.status?.hostIP as string | undefined).find(Boolean);
}

/** Resolves INGRESS_HOST / INGRESS_PORT for a gateway Service. */
export function resolveIngressAddress(input: IngressInput): IngressAddress {
  const { service } = input;
  const ports: ServicePort[] = service.spec?.ports ?? [];
  const http = selectHttpPort(ports);
  const https = selectHttpsPort(ports);
  const base = { name: service.metadata.name ?? '', namespace: service.metadata.namespace ?? 'default' };
  const lb = (service.status?.loadBalancer?.ingress ?? [])[0] as { ip?: string; hostname?: string } | undefined;
  const lbHost = lb?.ip ?? lb?.hostname;
  if (service.spec?.type === 'LoadBalancer' && lbHost && http) {
    return { ...base, method: 'loadBalancer', host: lbHost, port: http.port, ...(https ? { securePort: https.port } : {}) };
  }
  const nodeHost = findNodeHost(input.nodes, input.pods);
  if ((service.spec?.type === 'NodePort' || service.spec?.type === 'LoadBalancer') && http?.nodePort && nodeHost) {
    return { ...base, method: 'nodePort', host: nodeHost, port: http.nodePort, ...(https?.nodePort ? { securePort: https.nodePort } : {}) };
  }
  const localPort = input.localPort ?? 8080;
  const pod = input.pods.find((p) => p.status?.phase === 'Running') ?? input.pods[0];
  const target = http?.targetPort ?? http?.port ?? 80;
  const command =
    pod && typeof target === 'number'
      ? `kubectl -n ${base.namespace} port-forward pod/${pod.metadata.name} ${localPort}:${target}`
      : `kubectl -n ${base.namespace} port-forward svc/${base.name} ${localPort}:${http?.port ?? 80}`;
  return { ...base, method: 'portForward', host: '127.0.0.1', port: localPort, command };
}

/** The shell lines labs use (istio.io §6 recipes): INGRESS_NAME/NS/HOST/PORT, SECURE_INGRESS_PORT, GATEWAY_URL. */
export function formatIngressExports(address: IngressAddress): string[] {
  return [
    ...(address.command ? [`# first, in another terminal: ${address.command}`] : []),
    `export INGRESS_NAME=${address.name}`,
    `export INGRESS_NS=${address.namespace}`,
    `export INGRESS_HOST=${address.host}`,
    `export INGRESS_PORT=${address.port}`,
    ...(address.securePort !== undefined ? [`export SECURE_INGRESS_PORT=${address.securePort}`] : []),
    'export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT',
  ];
}
