// Strategic-merge and server-side-apply metadata of the built-in API types the labs touch, as
// declared by the Go struct tags (patchStrategy/patchMergeKey) and the +listType/+listMapKey/
// +structType/+mapType markers of Kubernetes 1.30. Paths are dot-separated and relative to the
// struct named by each table; list items share their list's path.

/** Merge metadata of one list field. */
export interface ListMeta {
  /** SSA list type; lists without metadata are atomic. */
  listType: 'map' | 'set' | 'atomic';
  /** Strategic merge patch merge key (patchMergeKey). */
  mergeKey?: string;
  /** SSA x-kubernetes-list-map-keys. */
  mapKeys?: string[];
  /** Strategic merge patch strategy; without `merge` the list is replaced. */
  patchStrategy?: 'merge' | 'replace' | 'retainKeys';
  /** True when the items also carry patchStrategy retainKeys (e.g. volumes). */
  retainKeys?: boolean;
  /** Defaults the API schema gives to map-key fields (a port's protocol is TCP). */
  keyDefaults?: Record<string, string | number | boolean>;
}

/** Merge metadata of one object (struct or map) field. */
export interface MapMeta {
  /** `atomic` for +structType=atomic / +mapType=atomic: the object is owned and replaced whole. */
  mapType: 'atomic' | 'granular';
  /** Strategic merge patch strategy of the field itself. */
  patchStrategy?: 'retainKeys' | 'replace';
}

/** Metadata of one struct type: its list fields and its special object fields. */
export interface TypeTable {
  lists: Record<string, ListMeta>;
  maps: Record<string, MapMeta>;
}

/** An atomic list (the default for lists without metadata, spelled out for readability). */
export const ATOMIC_LIST: ListMeta = { listType: 'atomic' };

/** An object replaced and owned as a whole. */
export const ATOMIC_MAP: MapMeta = { mapType: 'atomic' };

/** A list merged by one key in both strategic merge patch and server-side apply. */
export function defineKeyedList(key: string, extra: Partial<ListMeta> = {}): ListMeta {
  return { listType: 'map', mergeKey: key, mapKeys: [key], patchStrategy: 'merge', ...extra };
}

/** A primitive list merged as a set. */
export const MERGED_SET: ListMeta = { listType: 'set', patchStrategy: 'merge' };

/** Prefixes every path of a table. */
export function mountTable(prefix: string, table: TypeTable): TypeTable {
  const lists: Record<string, ListMeta> = {};
  const maps: Record<string, MapMeta> = {};
  for (const [path, meta] of Object.entries(table.lists)) lists[`${prefix}.${path}`] = meta;
  for (const [path, meta] of Object.entries(table.maps)) maps[`${prefix}.${path}`] = meta;
  return { lists, maps };
}

/** Merges several tables into one. */
export function joinTables(...tables: TypeTable[]): TypeTable {
  return {
    lists: Object.assign({}, ...tables.map((t) => t.lists)),
    maps: Object.assign({}, ...tables.map((t) => t.maps)),
  };
}

/** ObjectMeta. */
export const OBJECT_META: TypeTable = {
  lists: { finalizers: MERGED_SET, ownerReferences: defineKeyedList('uid'), managedFields: ATOMIC_LIST },
  maps: { ownerReferences: ATOMIC_MAP },
};

/** metav1.LabelSelector (+structType=atomic) wherever a workload spec holds one. */
export const SELECTOR_ATOMIC: TypeTable = { lists: {}, maps: { selector: ATOMIC_MAP } };

const PORT_KEYS = { mapKeys: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } };

/** core/v1 Container (also used for init and ephemeral containers). */
export const CONTAINER: TypeTable = {
  lists: {
    ports: defineKeyedList('containerPort', PORT_KEYS),
    env: defineKeyedList('name'),
    envFrom: ATOMIC_LIST,
    volumeMounts: defineKeyedList('mountPath'),
    volumeDevices: defineKeyedList('devicePath'),
    command: ATOMIC_LIST,
    args: ATOMIC_LIST,
    resizePolicy: ATOMIC_LIST,
    'resources.claims': { listType: 'map', mapKeys: ['name'] },
    'securityContext.capabilities.add': ATOMIC_LIST,
    'securityContext.capabilities.drop': ATOMIC_LIST,
  },
  maps: {
    'env.valueFrom.fieldRef': ATOMIC_MAP,
    'env.valueFrom.resourceFieldRef': ATOMIC_MAP,
    'env.valueFrom.configMapKeyRef': ATOMIC_MAP,
    'env.valueFrom.secretKeyRef': ATOMIC_MAP,
  },
};

const TERM_SELECTOR = 'requiredDuringSchedulingIgnoredDuringExecution';

/** core/v1 PodSpec, including its containers. */
export const POD_SPEC: TypeTable = joinTables(
  {
    lists: {
      containers: defineKeyedList('name'),
      initContainers: defineKeyedList('name'),
      ephemeralContainers: defineKeyedList('name'),
      volumes: defineKeyedList('name', { retainKeys: true }),
      imagePullSecrets: defineKeyedList('name'),
      tolerations: ATOMIC_LIST,
      hostAliases: defineKeyedList('ip'),
      'hostAliases.hostnames': ATOMIC_LIST,
      topologySpreadConstraints: {
        listType: 'map', mergeKey: 'topologyKey', mapKeys: ['topologyKey', 'whenUnsatisfiable'], patchStrategy: 'merge',
      },
      readinessGates: ATOMIC_LIST,
      schedulingGates: defineKeyedList('name'),
      resourceClaims: defineKeyedList('name', { retainKeys: true }),
      'securityContext.supplementalGroups': ATOMIC_LIST,
      'securityContext.sysctls': ATOMIC_LIST,
    },
    maps: {
      imagePullSecrets: ATOMIC_MAP,
      'topologySpreadConstraints.labelSelector': ATOMIC_MAP,
      [`affinity.nodeAffinity.${TERM_SELECTOR}`]: ATOMIC_MAP,
      [`affinity.podAffinity.${TERM_SELECTOR}.labelSelector`]: ATOMIC_MAP,
      [`affinity.podAntiAffinity.${TERM_SELECTOR}.labelSelector`]: ATOMIC_MAP,
      'volumes.persistentVolumeClaim.dataSourceRef': ATOMIC_MAP,
    },
  },
  mountTable('containers', CONTAINER),
  mountTable('initContainers', CONTAINER),
  mountTable('ephemeralContainers', CONTAINER),
);

/** core/v1 PodStatus. */
export const POD_STATUS: TypeTable = {
  lists: {
    conditions: defineKeyedList('type'),
    podIPs: defineKeyedList('ip'),
    hostIPs: defineKeyedList('ip'),
    containerStatuses: ATOMIC_LIST,
    initContainerStatuses: ATOMIC_LIST,
    ephemeralContainerStatuses: ATOMIC_LIST,
    resourceClaimStatuses: defineKeyedList('name'),
  },
  maps: {},
};

/** status.conditions keyed by type, shared by most workload and core statuses. */
export const TYPED_CONDITIONS: TypeTable = { lists: { 'status.conditions': defineKeyedList('type') }, maps: {} };

const SERVICE_PORT_KEYS = { mapKeys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } };

/** Extra tables per "group/Kind" (core group is empty), paths relative to the object root. */
export const KIND_TABLES: Record<string, TypeTable> = {
  '/Service': {
    lists: {
      'spec.ports': defineKeyedList('port', SERVICE_PORT_KEYS),
      'spec.clusterIPs': ATOMIC_LIST,
      'spec.externalIPs': ATOMIC_LIST,
      'spec.ipFamilies': ATOMIC_LIST,
      'spec.loadBalancerSourceRanges': ATOMIC_LIST,
      'status.conditions': defineKeyedList('type'),
      'status.loadBalancer.ingress': ATOMIC_LIST,
    },
    maps: { 'spec.selector': ATOMIC_MAP },
  },
  '/Endpoints': { lists: { subsets: ATOMIC_LIST }, maps: {} },
  '/Namespace': joinTables(TYPED_CONDITIONS, { lists: { 'spec.finalizers': ATOMIC_LIST }, maps: {} }),
  '/ServiceAccount': {
    lists: { secrets: defineKeyedList('name'), imagePullSecrets: ATOMIC_LIST },
    maps: { secrets: ATOMIC_MAP },
  },
  '/Node': {
    lists: {
      'spec.podCIDRs': MERGED_SET,
      'spec.taints': ATOMIC_LIST,
      'status.conditions': defineKeyedList('type'),
      'status.addresses': defineKeyedList('type'),
      'status.images': ATOMIC_LIST,
      'status.volumesInUse': ATOMIC_LIST,
      'status.volumesAttached': ATOMIC_LIST,
    },
    maps: {},
  },
  '/PersistentVolumeClaim': joinTables(TYPED_CONDITIONS, {
    lists: { 'spec.accessModes': ATOMIC_LIST },
    maps: { 'spec.selector': ATOMIC_MAP, 'spec.dataSourceRef': ATOMIC_MAP },
  }),
  '/ReplicationController': joinTables(TYPED_CONDITIONS, { lists: {}, maps: { 'spec.selector': ATOMIC_MAP } }),
  'apps/Deployment': joinTables(TYPED_CONDITIONS, mountTable('spec', SELECTOR_ATOMIC), {
    lists: {},
    maps: { 'spec.strategy': { mapType: 'granular', patchStrategy: 'retainKeys' } },
  }),
  'apps/ReplicaSet': joinTables(TYPED_CONDITIONS, mountTable('spec', SELECTOR_ATOMIC)),
  'apps/StatefulSet': joinTables(TYPED_CONDITIONS, mountTable('spec', SELECTOR_ATOMIC), {
    lists: { 'spec.volumeClaimTemplates': ATOMIC_LIST },
    maps: {},
  }),
  'apps/DaemonSet': joinTables(TYPED_CONDITIONS, mountTable('spec', SELECTOR_ATOMIC)),
  'batch/Job': joinTables(mountTable('spec', SELECTOR_ATOMIC), {
    lists: { 'status.conditions': { ...defineKeyedList('type'), listType: 'atomic', mapKeys: undefined } },
    maps: {},
  }),
  'batch/CronJob': joinTables(mountTable('spec.jobTemplate.spec', SELECTOR_ATOMIC), {
    lists: { 'status.active': ATOMIC_LIST },
    maps: {},
  }),
  'policy/PodDisruptionBudget': joinTables(TYPED_CONDITIONS, { lists: {}, maps: { 'spec.selector': ATOMIC_MAP } }),
  'autoscaling/HorizontalPodAutoscaler': joinTables(TYPED_CONDITIONS, {
    lists: { 'spec.metrics': ATOMIC_LIST, 'status.currentMetrics': ATOMIC_LIST },
    maps: {},
  }),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': { lists: { webhooks: defineKeyedList('name') }, maps: {} },
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': { lists: { webhooks: defineKeyedList('name') }, maps: {} },
  'discovery.k8s.io/EndpointSlice': { lists: { endpoints: ATOMIC_LIST, ports: ATOMIC_LIST }, maps: {} },
};

/** Where the PodTemplateSpec lives per "group/Kind" ('' for Pod itself, whose spec is the PodSpec). */
export const POD_TEMPLATE_ROOTS: Record<string, string> = {
  '/Pod': '',
  '/PodTemplate': 'template',
  '/ReplicationController': 'spec.template',
  'apps/Deployment': 'spec.template',
  'apps/ReplicaSet': 'spec.template',
  'apps/StatefulSet': 'spec.template',
  'apps/DaemonSet': 'spec.template',
  'batch/Job': 'spec.template',
  'batch/CronJob': 'spec.jobTemplate.spec.template',
};
