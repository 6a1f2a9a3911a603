// Legacy APIs a lab ported from an old workshop may still use, each with its modern replacement
// (istio-behaviour.md §12 for Istio; the Kubernetes deprecated-API guide for built-ins).

/** A removed API: matched by group, optionally versions and kinds; reported at `field`. */
export interface LegacyApi {
  group: string;
  /** Versions this applies to; all when absent. */
  versions?: readonly string[];
  /** Kinds this applies to; all when absent. */
  kinds?: readonly string[];
  /** Which field the message points at. */
  field: 'apiVersion' | 'kind';
  /** The sentence naming the era and the replacement, given the object's apiVersion and kind. */
  describe(apiVersion: string, kind: string): string;
}

const mixerQuota = 'use an EnvoyFilter that configures Envoy\'s local_ratelimit filter (or the global ratelimit service)';
const mixer = (apiVersion: string, kind: string) =>
  `${apiVersion} ${kind} is a Mixer API (deprecated in Istio 1.5, removed in 1.8); use the Telemetry API (telemetry.istio.io/v1) for metrics and access logs, or ${mixerQuota.replace('use ', '')} for quotas`;

/** Removed Istio APIs, most specific first. */
export const LEGACY_ISTIO_APIS: readonly LegacyApi[] = [
  {
    group: 'config.istio.io',
    kinds: ['RouteRule'],
    field: 'kind',
    describe: (v) => `${v} RouteRule is a legacy Istio API (0.1–0.8, removed in 1.0); use a VirtualService (networking.istio.io/v1) for the routes, with a DestinationRule for the subsets`,
  },
  {
    group: 'config.istio.io',
    kinds: ['DestinationPolicy'],
    field: 'kind',
    describe: (v) => `${v} DestinationPolicy is a legacy Istio API (0.1–0.8, removed in 1.0); use a DestinationRule (networking.istio.io/v1) for load balancing, connection pools and outlier detection`,
  },
  {
    group: 'config.istio.io',
    kinds: ['EgressRule'],
    field: 'kind',
    describe: (v) => `${v} EgressRule is a legacy Istio API (0.1–0.8, removed in 1.0); use a ServiceEntry (networking.istio.io/v1)`,
  },
  {
    group: 'config.istio.io',
    kinds: ['memquota', 'redisquota', 'quota', 'QuotaSpec', 'QuotaSpecBinding'],
    field: 'kind',
    describe: (v, k) => `${v} ${k} is Mixer quota (deprecated in Istio 1.5, removed in 1.8); ${mixerQuota}`,
  },
  { group: 'config.istio.io', field: 'kind', describe: mixer },
  {
    group: 'authentication.istio.io',
    kinds: ['MeshPolicy'],
    field: 'kind',
    describe: (v) => `${v} MeshPolicy was removed in Istio 1.6; use a PeerAuthentication (security.istio.io/v1) named "default" in the root namespace (istio-system) for mesh-wide mTLS`,
  },
  {
    group: 'authentication.istio.io',
    field: 'kind',
    describe: (v, k) => `${v} ${k} was removed in Istio 1.6; use PeerAuthentication (mTLS) and RequestAuthentication (JWT) in security.istio.io/v1`,
  },
  {
    group: 'rbac.istio.io',
    field: 'kind',
    describe: (v, k) => `${v} ${k} was removed in Istio 1.6; use an AuthorizationPolicy (security.istio.io/v1)`,
  },
];

const apps = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'ControllerRevision'];

/** A built-in apiVersion that Kubernetes no longer serves (for `kinds`, default: every kind below), with the release that removed it. */
function defineRemoved(apiVersion: string, removedIn: string, kinds?: readonly string[]): LegacyApi {
  const [group, version] = apiVersion.split('/');
  return {
    group,
    versions: [version],
    kinds: kinds ?? Object.keys(CURRENT_BUILTIN),
    field: 'apiVersion',
    describe: (v, k) => `${k} is no longer served at ${v} (removed in Kubernetes ${removedIn}); use ${CURRENT_BUILTIN[k] ?? 'the current API'}`,
  };
}

const CURRENT_BUILTIN: Record<string, string> = {
  Deployment: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  ControllerRevision: 'apps/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  CronJob: 'batch/v1',
  PodDisruptionBudget: 'policy/v1',
  PodSecurityPolicy: 'Pod Security Admission (pod-security.kubernetes.io/* labels on the namespace)',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  PriorityClass: 'scheduling.k8s.io/v1',
  StorageClass: 'storage.k8s.io/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
};

/** Built-in apiVersions removed from Kubernetes. */
export const LEGACY_KUBERNETES_APIS: readonly LegacyApi[] = [
  defineRemoved('extensions/v1beta1', '1.22', ['Ingress']),
  defineRemoved('extensions/v1beta1', '1.25', ['PodSecurityPolicy']),
  defineRemoved('extensions/v1beta1', '1.16'),
  defineRemoved('apps/v1beta1', '1.16', apps),
  defineRemoved('apps/v1beta2', '1.16', apps),
  defineRemoved('networking.k8s.io/v1beta1', '1.22'),
  defineRemoved('batch/v1beta1', '1.25'),
  defineRemoved('policy/v1beta1', '1.25'),
  defineRemoved('autoscaling/v2beta1', '1.25'),
  defineRemoved('autoscaling/v2beta2', '1.26'),
  defineRemoved('rbac.authorization.k8s.io/v1beta1', '1.22'),
  defineRemoved('apiextensions.k8s.io/v1beta1', '1.22'),
  defineRemoved('admissionregistration.k8s.io/v1beta1', '1.22'),
  defineRemoved('scheduling.k8s.io/v1beta1', '1.22'),
  defineRemoved('storage.k8s.io/v1beta1', '1.22'),
  defineRemoved('discovery.k8s.io/v1beta1', '1.25'),
];

/** Finds the legacy API entry matching an object's group, version and kind. */
export function findLegacyApi(group: string, version: string, kind: string): LegacyApi | undefined {
  return [...LEGACY_ISTIO_APIS, ...LEGACY_KUBERNETES_APIS].find(
    (api) => api.group === group && (!api.versions || api.versions.includes(version)) && (!api.kinds || api.kinds.includes(kind)),
  );
}
