// The catalog of resource types the sandbox serves: built-in kinds plus any CRD applied at run time.

/** A servable resource type (one group/version/plural). */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresources served under `<plural>/<name>/<sub>`. */
  subresources: string[];
  /** True for types defined by a CustomResourceDefinition. */
  custom: boolean;
  /** Versions of the same group/kind that share storage (CRDs: all served versions). */
  storageVersion: string;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type Spec = [version: string, plural: string, kind: string, namespaced: boolean, shortNames?: string[], subresources?: string[], categories?: string[]];

function defineGroup(group: string, specs: Spec[]): ResourceType[] {
  return specs.map(([version, plural, kind, namespaced, shortNames = [], subresources = [], categories = []]) => ({
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames,
    categories,
    verbs: allVerbs,
    subresources,
    custom: false,
    storageVersion: version,
  }));
}

/** Built-in kinds: those the labs use, plus inert storage for what an Istio install or sample app creates. */
export const builtinResourceTypes: ResourceType[] = [
  ...defineGroup('', [
    ['v1', 'namespaces', 'Namespace', false, ['ns'], ['status', 'finalize']],
    ['v1', 'pods', 'Pod', true, ['po'], ['status', 'log', 'exec', 'attach', 'portforward', 'eviction', 'ephemeralcontainers'], ['all']],
    ['v1', 'services', 'Service', true, ['svc'], ['status', 'proxy'], ['all']],
    ['v1', 'endpoints', 'Endpoints', true, ['ep']],
    ['v1', 'configmaps', 'ConfigMap', true, ['cm']],
    ['v1', 'secrets', 'Secret', true],
    ['v1', 'serviceaccounts', 'ServiceAccount', true, ['sa'], ['token']],
    ['v1', 'events', 'Event', true, ['ev']],
    ['v1', 'nodes', 'Node', false, ['no'], ['status', 'proxy']],
    ['v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc'], ['status']],
    ['v1', 'persistentvolumes', 'PersistentVolume', false, ['pv'], ['status']],
    ['v1', 'limitranges', 'LimitRange', true, ['limits']],
    ['v1', 'resourcequotas', 'ResourceQuota', true, ['quota'], ['status']],
    ['v1', 'replicationcontrollers', 'ReplicationController', true, ['rc'], ['status', 'scale'], ['all']],
  ]),
  ...defineGroup('apps', [
    ['v1', 'deployments', 'Deployment', true, ['deploy'], ['status', 'scale'], ['all']],
    ['v1', 'replicasets', 'ReplicaSet', true, ['rs'], ['status', 'scale'], ['all']],
    ['v1', 'statefulsets', 'StatefulSet', true, ['sts'], ['status', 'scale'], ['all']],
    ['v1', 'daemonsets', 'DaemonSet', true, ['ds'], ['status'], ['all']],
    ['v1', 'controllerrevisions', 'ControllerRevision', true],
  ]),
  ...defineGroup('discovery.k8s.io', [['v1', 'endpointslices', 'EndpointSlice', true]]),
  ...defineGroup('apiextensions.k8s.io', [
    ['v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, ['crd', 'crds'], ['status']],
  ]),
  ...defineGroup('rbac.authorization.k8s.io', [
    ['v1', 'roles', 'Role', true],
    ['v1', 'rolebindings', 'RoleBinding', true],
    ['v1', 'clusterroles', 'ClusterRole', false],
    ['v1', 'clusterrolebindings', 'ClusterRoleBinding', false],
  ]),
  ...defineGroup('admissionregistration.k8s.io', [
    ['v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false],
    ['v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false],
  ]),
  ...defineGroup('policy', [['v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], ['status']]]),
  ...defineGroup('autoscaling', [
    ['v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['status'], ['all']],
    ['v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['status'], ['all']],
  ]),
  ...defineGroup('batch', [
    ['v1', 'jobs', 'Job', true, [], ['status'], ['all']],
    ['v1', 'cronjobs', 'CronJob', true, ['cj'], ['status'], ['all']],
  ]),
  ...defineGroup('networking.k8s.io', [
    ['v1', 'ingresses', 'Ingress', true, ['ing'], ['status']],
    ['v1', 'ingressclasses', 'IngressClass', false],
    ['v1', 'networkpolicies', 'NetworkPolicy', true, ['netpol']],
  ]),
  ...defineGroup('coordination.k8s.io', [['v1', 'leases', 'Lease', true]]),
  ...defineGroup('events.k8s.io', [['v1', 'events', 'Event', true, ['ev']]]),
  ...defineGroup('storage.k8s.io', [['v1', 'storageclasses', 'StorageClass', false, ['sc']]]),
  ...defineGroup('scheduling.k8s.io', [['v1', 'priorityclasses', 'PriorityClass', false, ['pc']]]),
];

/** Kinds the real server serves without the deletecollection verb. */
const noDeleteCollection = new Set(['/namespaces']);
for (const rt of builtinResourceTypes) {
  if (noDeleteCollection.has(storageKey(rt.group, rt.plural))) rt.verbs = rt.verbs.filter((v) => v !== 'deletecollection');
}

/** Groups whose kinds carry no metadata.generation (no spec/status split). */
const groupsWithoutGeneration = new Set(['rbac.authorization.k8s.io', 'coordination.k8s.io', 'events.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io']);

/** Whether the real server maintains metadata.generation for a type: custom resources and spec-carrying kinds do; ConfigMaps, Secrets, Services, Pods, Namespaces and the like do not. */
export function tracksGeneration(rt: ResourceType): boolean {
  if (rt.custom) return true;
  if (rt.group === '') return rt.plural === 'replicationcontrollers';
  return !groupsWithoutGeneration.has(rt.group);
}

/** Key a group-resource for storage: `apps/deployments`, `/pods`. */
export function storageKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

/** `apps/v1` or `v1`. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Split an apiVersion into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
