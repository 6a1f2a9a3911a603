// Built-in Kubernetes kinds (and the Gateway API's, which Istio labs use) with the apiVersions a
// current cluster serves, preferred first. Anything else in these groups is unknown or removed.

/** Built-in kinds and their served apiVersions (Kubernetes 1.29+), preferred first. */
export const KUBERNETES_KINDS = {
  Binding: ['v1'],
  ConfigMap: ['v1'],
  Endpoints: ['v1'],
  Event: ['v1', 'events.k8s.io/v1'],
  LimitRange: ['v1'],
  Namespace: ['v1'],
  Node: ['v1'],
  PersistentVolume: ['v1'],
  PersistentVolumeClaim: ['v1'],
  Pod: ['v1'],
  PodTemplate: ['v1'],
  ReplicationController: ['v1'],
  ResourceQuota: ['v1'],
  Secret: ['v1'],
  Service: ['v1'],
  ServiceAccount: ['v1'],
  ControllerRevision: ['apps/v1'],
  DaemonSet: ['apps/v1'],
  Deployment: ['apps/v1'],
  ReplicaSet: ['apps/v1'],
  StatefulSet: ['apps/v1'],
  CronJob: ['batch/v1'],
  Job: ['batch/v1'],
  HorizontalPodAutoscaler: ['autoscaling/v2', 'autoscaling/v1'],
  Ingress: ['networking.k8s.io/v1'],
  IngressClass: ['networking.k8s.io/v1'],
  NetworkPolicy: ['networking.k8s.io/v1'],
  PodDisruptionBudget: ['policy/v1'],
  ClusterRole: ['rbac.authorization.k8s.io/v1'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io/v1'],
  Role: ['rbac.authorization.k8s.io/v1'],
  RoleBinding: ['rbac.authorization.k8s.io/v1'],
  CustomResourceDefinition: ['apiextensions.k8s.io/v1'],
  MutatingWebhookConfiguration: ['admissionregistration.k8s.io/v1'],
  ValidatingWebhookConfiguration: ['admissionregistration.k8s.io/v1'],
  ValidatingAdmissionPolicy: ['admissionregistration.k8s.io/v1'],
  ValidatingAdmissionPolicyBinding: ['admissionregistration.k8s.io/v1'],
  APIService: ['apiregistration.k8s.io/v1'],
  CSIDriver: ['storage.k8s.io/v1'],
  CSINode: ['storage.k8s.io/v1'],
  CSIStorageCapacity: ['storage.k8s.io/v1'],
  StorageClass: ['storage.k8s.io/v1'],
  VolumeAttachment: ['storage.k8s.io/v1'],
  PriorityClass: ['scheduling.k8s.io/v1'],
  Lease: ['coordination.k8s.io/v1'],
  EndpointSlice: ['discovery.k8s.io/v1'],
  CertificateSigningRequest: ['certificates.k8s.io/v1'],
  RuntimeClass: ['node.k8s.io/v1'],
  FlowSchema: ['flowcontrol.apiserver.k8s.io/v1'],
  PriorityLevelConfiguration: ['flowcontrol.apiserver.k8s.io/v1'],
  TokenReview: ['authentication.k8s.io/v1'],
  LocalSubjectAccessReview: ['authorization.k8s.io/v1'],
  SelfSubjectAccessReview: ['authorization.k8s.io/v1'],
  SelfSubjectRulesReview: ['authorization.k8s.io/v1'],
  SubjectAccessReview: ['authorization.k8s.io/v1'],
} as const satisfies Record<string, readonly string[]>;

/** A built-in Kubernetes kind. */
export type KubernetesKind = keyof typeof KUBERNETES_KINDS;

/** Kubernetes Gateway API kinds (CRDs installed with the Gateway API, used by Istio's own docs), preferred first. */
export const GATEWAY_API_KINDS = {
  GatewayClass: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
  Gateway: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
  HTTPRoute: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
  GRPCRoute: ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha2'],
  ReferenceGrant: ['gateway.networking.k8s.io/v1beta1', 'gateway.networking.k8s.io/v1alpha2'],
  TCPRoute: ['gateway.networking.k8s.io/v1alpha2'],
  TLSRoute: ['gateway.networking.k8s.io/v1alpha2'],
  UDPRoute: ['gateway.networking.k8s.io/v1alpha2'],
  BackendTLSPolicy: ['gateway.networking.k8s.io/v1alpha3'],
} as const satisfies Record<string, readonly string[]>;

/** A Gateway API kind. */
export type GatewayApiKind = keyof typeof GATEWAY_API_KINDS;
