// Istio's current kinds (networking, security, telemetry, extensions, install) with the versions
// Istio 1.22+ serves, preferred first, and the @kubernetes-models/istio class whose schema checks
// each version. The models are generated from Istio 1.18 CRDs, so v1 (new in 1.22, same schema)
// is checked with the v1beta1 / v1alpha1 model.

/** An Istio model class: construct with an object, validate() throws ajv errors. */
export type IstioModelClass = new (data: object) => { validate(): void };

/** Loads the model class for one kind/version (lazily, so --help and plain YAML stay fast). */
export type IstioModelLoader = () => Promise<IstioModelClass>;

/** What istio-lab knows about one Istio kind. */
export interface IstioKindInfo {
  group: string;
  /** Served versions, preferred first. */
  versions: readonly string[];
  /** Schema per served version. */
  models: Readonly<Record<string, IstioModelLoader>>;
}

const networkingV1beta1 = {
  VirtualService: () => import('@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService').then((m) => m.VirtualService),
  DestinationRule: () => import('@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule').then((m) => m.DestinationRule),
  Gateway: () => import('@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway').then((m) => m.Gateway),
  ServiceEntry: () => import('@kubernetes-models/istio/networking.istio.io/v1beta1/ServiceEntry').then((m) => m.ServiceEntry),
  Sidecar: () => import('@kubernetes-models/istio/networking.istio.io/v1beta1/Sidecar').then((m) => m.Sidecar),
  WorkloadEntry: () => import('@kubernetes-models/istio/networking.istio.io/v1beta1/WorkloadEntry').then((m) => m.WorkloadEntry),
  WorkloadGroup: () => import('@kubernetes-models/istio/networking.istio.io/v1beta1/WorkloadGroup').then((m) => m.WorkloadGroup),
} satisfies Record<string, IstioModelLoader>;

const networkingV1alpha3 = {
  VirtualService: () => import('@kubernetes-models/istio/networking.istio.io/v1alpha3/VirtualService').then((m) => m.VirtualService),
  DestinationRule: () => import('@kubernetes-models/istio/networking.istio.io/v1alpha3/DestinationRule').then((m) => m.DestinationRule),
  Gateway: () => import('@kubernetes-models/istio/networking.istio.io/v1alpha3/Gateway').then((m) => m.Gateway),
  ServiceEntry: () => import('@kubernetes-models/istio/networking.istio.io/v1alpha3/ServiceEntry').then((m) => m.ServiceEntry),
  Sidecar: () => import('@kubernetes-models/istio/networking.istio.io/v1alpha3/Sidecar').then((m) => m.Sidecar),
  WorkloadEntry: () => import('@kubernetes-models/istio/networking.istio.io/v1alpha3/WorkloadEntry').then((m) => m.WorkloadEntry),
  WorkloadGroup: () => import('@kubernetes-models/istio/networking.istio.io/v1alpha3/WorkloadGroup').then((m) => m.WorkloadGroup),
} satisfies Record<string, IstioModelLoader>;

/** A networking kind served at v1, v1beta1 and v1alpha3. */
function defineNetworkingKind(kind: keyof typeof networkingV1beta1): IstioKindInfo {
  return {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    models: { v1: networkingV1beta1[kind], v1beta1: networkingV1beta1[kind], v1alpha3: networkingV1alpha3[kind] },
  };
}

const peerAuthentication = () => import('@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication').then((m) => m.PeerAuthentication);
const telemetry = () => import('@kubernetes-models/istio/telemetry.istio.io/v1alpha1/Telemetry').then((m) => m.Telemetry);

/** Every Istio kind istio-lab validates, by kind name. */
export const ISTIO_KINDS = {
  VirtualService: defineNetworkingKind('VirtualService'),
  DestinationRule: defineNetworkingKind('DestinationRule'),
  Gateway: defineNetworkingKind('Gateway'),
  ServiceEntry: defineNetworkingKind('ServiceEntry'),
  Sidecar: defineNetworkingKind('Sidecar'),
  WorkloadEntry: defineNetworkingKind('WorkloadEntry'),
  WorkloadGroup: defineNetworkingKind('WorkloadGroup'),
  EnvoyFilter: {
    group: 'networking.istio.io',
    versions: ['v1alpha3'],
    models: { v1alpha3: () => import('@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter').then((m) => m.EnvoyFilter) },
  },
  ProxyConfig: {
    group: 'networking.istio.io',
    versions: ['v1beta1'],
    models: { v1beta1: () => import('@kubernetes-models/istio/networking.istio.io/v1beta1/ProxyConfig').then((m) => m.ProxyConfig) },
  },
  AuthorizationPolicy: {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    models: {
      v1: () => import('@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy').then((m) => m.AuthorizationPolicy),
      v1beta1: () => import('@kubernetes-models/istio/security.istio.io/v1beta1/AuthorizationPolicy').then((m) => m.AuthorizationPolicy),
    },
  },
  PeerAuthentication: { group: 'security.istio.io', versions: ['v1', 'v1beta1'], models: { v1: peerAuthentication, v1beta1: peerAuthentication } },
  RequestAuthentication: {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    models: {
      v1: () => import('@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication').then((m) => m.RequestAuthentication),
      v1beta1: () => import('@kubernetes-models/istio/security.istio.io/v1beta1/RequestAuthentication').then((m) => m.RequestAuthentication),
    },
  },
  Telemetry: { group: 'telemetry.istio.io', versions: ['v1', 'v1alpha1'], models: { v1: telemetry, v1alpha1: telemetry } },
  WasmPlugin: {
    group: 'extensions.istio.io',
    versions: ['v1alpha1'],
    models: { v1alpha1: () => import('@kubernetes-models/istio/extensions.istio.io/v1alpha1/WasmPlugin').then((m) => m.WasmPlugin) },
  },
  IstioOperator: {
    group: 'install.istio.io',
    versions: ['v1alpha1'],
    models: { v1alpha1: () => import('@kubernetes-models/istio/install.istio.io/v1alpha1/IstioOperator').then((m) => m.IstioOperator) },
  },
} as const satisfies Record<string, IstioKindInfo>;

/** An Istio kind istio-lab validates. */
export type IstioKind = keyof typeof ISTIO_KINDS;
