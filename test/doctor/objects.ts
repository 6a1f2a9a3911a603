// Test helper: builders for the objects doctor reads (istiod, CRDs, namespaces, gateway Service, nodes, pods).
import type { KubeObject } from '../../src/cluster/types.js';

/** An istiod Deployment with an image tag and ready count. */
export function buildIstiod(options: { name?: string; image?: string; replicas?: number; ready?: number; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name ?? 'istiod', namespace: 'istio-system', labels: { app: 'istiod', ...options.labels } },
    spec: { replicas: options.replicas ?? 1, template: { spec: { containers: [{ name: 'discovery', image: options.image ?? 'docker.io/istio/pilot:1.22.3' }] } } },
    status: { readyReplicas: options.ready ?? 1 },
  };
}

/** An Istio CRD serving the given versions. */
export function buildCrd(name: string, versions: string[] = ['v1', 'v1beta1', 'v1alpha3']): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: { versions: versions.map((v) => ({ name: v, served: true })) },
  };
}

/** The four CRDs doctor requires. */
export function buildIstioCrds(): KubeObject[] {
  return [
    buildCrd('virtualservices.networking.istio.io'),
    buildCrd('destinationrules.networking.istio.io'),
    buildCrd('gateways.networking.istio.io'),
    buildCrd('peerauthentications.security.istio.io', ['v1', 'v1beta1']),
  ];
}

/** A Namespace with labels. */
export function buildNamespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** The istio-ingressgateway Service as Istio's chart makes it, of the given type. */
export function buildGatewayService(type: 'LoadBalancer' | 'NodePort' | 'ClusterIP', ingress: { ip?: string; hostname?: string }[] = []): KubeObject {
  const nodePorts = type === 'ClusterIP' ? [undefined, undefined, undefined] : [31021, 31380, 31390];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
    spec: {
      type,
      selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, nodePort: nodePorts[0] },
        { name: 'http2', port: 80, targetPort: 8080, nodePort: nodePorts[1] },
        { name: 'https', port: 443, targetPort: 8443, nodePort: nodePorts[2] },
      ],
    },
    status: { loadBalancer: { ingress } },
  };
}

/** A Node with addresses. */
export function buildNode(name: string, addresses: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: Object.entries(addresses).map(([type, address]) => ({ type, address })) } };
}

/** A running gateway Pod on a node. */
export function buildGatewayPod(name: string, nodeName: string, hostIP = '10.0.0.9'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'istio-system', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
    spec: { nodeName },
    status: { phase: 'Running', hostIP },
  };
}
