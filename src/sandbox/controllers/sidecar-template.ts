// What Istio's injection template (istio-discovery files/injection-template.yaml) adds to a pod:
// the istio-init init container, the istio-proxy sidecar, their volumes, labels and annotations.
import type { KubeObject } from '../types.js';
import { applyPrometheusMerge } from './prometheus-merge.js';
import { defaultContainer } from './hooks/pod-spec.js';
import { podQosClass } from './hooks/pod-hooks.js';

/** The proxy image of the sandbox's Istio release. */
export const proxyImage = 'docker.io/istio/proxyv2:1.30.0';

const injectedVolumes = ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'];

const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
const resourceEnv = (name: string, resource: string) => ({ name, valueFrom: { resourceFieldRef: { divisor: '0', resource } } });

/** The workload a pod belongs to, as the injector derives it from the controller reference. */
export function workloadOf(pod: KubeObject): { name: string; kind: string; apiVersion: string } {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (!owner) return { name: pod.metadata.name ?? pod.metadata.generateName ?? 'istio-proxy', kind: 'Pod', apiVersion: 'v1' };
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return { name: owner.name.slice(0, -hash.length - 1), kind: 'Deployment', apiVersion: 'apps/v1' };
  }
  return { name: owner.name, kind: owner.kind, apiVersion: owner.apiVersion };
}

function initContainer(): any {
  return {
    name: 'istio-init',
    image: proxyImage,
    args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020', '--log_output_level=default:info'],
    imagePullPolicy: 'IfNotPresent',
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '10m', memory: '40Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: false,
      runAsGroup: 0,
      runAsNonRoot: false,
      runAsUser: 0,
    },
  };
}

function proxyContainer(pod: KubeObject, revision: string): any {
  const apps: any[] = pod.spec?.containers ?? [];
  const ports = apps.flatMap((c) => c.ports ?? []).map((p: any) => `    ${JSON.stringify({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })}`);
  const workload = workloadOf(pod);
  const ns = pod.metadata.namespace ?? 'default';
  const plural = `${workload.kind.toLowerCase()}s`;
  const istiod = revision === 'default' ? 'istiod' : `istiod-${revision}`;
  return {
    name: 'istio-proxy',
    image: proxyImage,
    args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
    env: [
      { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
      { name: 'CA_ADDR', value: `${istiod}.istio-system.svc:15012` },
      fieldEnv('POD_NAME', 'metadata.name'),
      fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
      fieldEnv('INSTANCE_IP', 'status.podIP'),
      fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
      fieldEnv('HOST_IP', 'status.hostIP'),
      resourceEnv('ISTIO_CPU_LIMIT', 'limits.cpu'),
      { name: 'PROXY_CONFIG', value: '{}\n' },
      { name: 'ISTIO_META_POD_PORTS', value: ports.length ? `[\n${ports.join(',\n')}\n]` : '[\n]' },
      { name: 'ISTIO_META_APP_CONTAINERS', value: apps.map((c) => c.name).join(',') },
      resourceEnv('GOMEMLIMIT', 'limits.memory'),
      resourceEnv('GOMAXPROCS', 'limits.cpu'),
      { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
      fieldEnv('ISTIO_META_NODE_NAME', 'spec.nodeName'),
      { name: 'ISTIO_META_INTERCEPTION_MODE', value: 'REDIRECT' },
      { name: 'ISTIO_META_WORKLOAD_NAME', value: workload.name },
      { name: 'ISTIO_META_OWNER', value: `kubernetes://apis/${workload.apiVersion}/namespaces/${ns}/${plural}/${workload.name}` },
      { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
      { name: 'TRUST_DOMAIN', value: 'cluster.local' },
    ],
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
    readinessProbe: { failureThreshold: 4, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 15, successThreshold: 1, timeoutSeconds: 3 },
    startupProbe: { failureThreshold: 600, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 1, successThreshold: 1, timeoutSeconds: 3 },
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 1337,
      runAsNonRoot: true,
      runAsUser: 1337,
    },
    volumeMounts: [
      { mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket' },
      { mountPath: '/var/run/secrets/credential-uds', name: 'credential-socket' },
      { mountPath: '/var/run/secrets/workload-spiffe-credentials', name: 'workload-certs' },
      { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
      { mountPath: '/var/lib/istio/data', name: 'istio-data' },
      { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
      { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
      { mountPath: '/etc/istio/pod', name: 'istio-podinfo' },
    ],
  };
}

function volumes(): any[] {
  return [
    { name: 'workload-socket', emptyDir: {} },
    { name: 'credential-socket', emptyDir: {} },
    { name: 'workload-certs', emptyDir: {} },
    { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
    { name: 'istio-data', emptyDir: {} },
    {
      name: 'istio-podinfo',
      downwardAPI: {
        defaultMode: 420,
        items: [
          { path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.annotations' } },
        ],
      },
    },
    { name: 'istio-token', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
    { name: 'istiod-ca-cert', configMap: { defaultMode: 420, name: 'istio-ca-root-cert' } },
  ];
}

/**
 * Mutate `pod` as the injection webhook would for `revision`. Classic sidecar layout: istio-proxy is a
 * regular container. Native sidecar mode (istio-proxy as an init container with restartPolicy Always)
 * stays off: ENABLE_NATIVE_SIDECARS=auto only turns it on for kubelets >= 1.33 and the sandbox node is
 * v1.30 (istio-behaviour.md §7).
 */
export function injectSidecar(pod: KubeObject, revision: string, options: { prometheusMerge?: boolean } = {}): void {
  const spec = (pod.spec ??= {});
  const meta = pod.metadata;
  const labels = (meta.labels ??= {});
  const apps: any[] = spec.containers ?? [];
  const workload = workloadOf(pod);
  const proxy = proxyContainer(pod, revision);
  const init = initContainer();
  defaultContainer(proxy);
  defaultContainer(init);
  spec.initContainers = [init, ...(spec.initContainers ?? [])];
  spec.containers = [...apps, proxy];
  spec.volumes = [...(spec.volumes ?? []), ...volumes()];
  labels['security.istio.io/tlsMode'] ??= 'istio';
  labels['service.istio.io/canonical-name'] ??= labels['app.kubernetes.io/name'] ?? labels.app ?? workload.name;
  labels['service.istio.io/canonical-revision'] ??= labels['app.kubernetes.io/version'] ?? labels.version ?? 'latest';
  const status = { initContainers: ['istio-init'], containers: ['istio-proxy'], volumes: injectedVolumes, imagePullSecrets: null, revision };
  const first = apps[0]?.name;
  meta.annotations = {
    ...(first ? { 'kubectl.kubernetes.io/default-container': first, 'kubectl.kubernetes.io/default-logs-container': first } : {}),
    ...(meta.annotations ?? {}),
    'istio.io/rev': revision,
    'sidecar.istio.io/status': JSON.stringify(status),
  };
  applyPrometheusMerge(pod, proxy, options.prometheusMerge ?? true);
  if (pod.status) pod.status.qosClass = podQosClass(spec);
}
