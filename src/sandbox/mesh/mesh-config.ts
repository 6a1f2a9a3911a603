// meshConfig as istiod reads it from the `istio` ConfigMap in istio-system (`data.mesh`, YAML): the
// fields the sandbox's proxies honour, with istiod's defaults for the ones left out (istio/istio
// `pkg/config/mesh/mesh.go` DefaultMeshConfig: accessLogFile "", accessLogEncoding TEXT,
// enableAutoMtls true, outboundTrafficPolicy ALLOW_ANY, rootNamespace istio-system).
import yaml from 'js-yaml';
import type { KubeObject } from '../types.js';
import { isVersionAtMost } from './proxy/versions.js';

/** The meshConfig fields the sandbox reads (docs/sandbox.md lists them). */
export interface MeshConfig {
  /** outboundTrafficPolicy.mode (§9); ALLOW_ANY since 1.1, REGISTRY_ONLY before. */
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** accessLogFile: where Envoy writes access logs; '' = no access logs unless a Telemetry enables them. */
  accessLogFile: string;
  /** accessLogEncoding (TEXT or JSON); the sandbox writes TEXT only and says so with a Warning event. */
  accessLogEncoding: 'TEXT' | 'JSON';
  /** accessLogFormat; '' = Envoy's default format, the only one the sandbox writes. */
  accessLogFormat: string;
  /** enableAutoMtls (§5, §8): clients with no DestinationRule tls use Istio mTLS towards sidecars. */
  enableAutoMtls: boolean;
  /** defaultHttpRetryPolicy (§4): an HTTPRetry used for routes without `retries`; absent = Istio's built-in default. */
  defaultHttpRetryPolicy?: Record<string, unknown>;
  /** enablePrometheusMerge: the injector points prometheus.io annotations at the agent's merged metrics (controllers/prometheus-merge.ts). */
  enablePrometheusMerge: boolean;
  /** rootNamespace: where mesh-wide Telemetry (and Sidecar, PeerAuthentication) live. */
  rootNamespace: string;
  /** defaultProviders.accessLogging: providers Telemetry falls back to when it names none. */
  defaultAccessLogProviders: string[];
  /** extensionProviders, as written (Telemetry access logging looks providers up here by name). */
  extensionProviders: Record<string, any>[];
}

/** Result of reading the mesh config: the config, or the defaults and why the text was rejected. */
export interface MeshConfigRead {
  config: MeshConfig;
  /** istiod's reason for rejecting the YAML (the sandbox then keeps the last valid config). */
  error?: string;
}

/** istiod's defaults for an emulated Istio version. */
export function defaultMeshConfig(istioVersion = '1.30'): MeshConfig {
  return {
    outboundTrafficPolicy: isVersionAtMost(istioVersion, '1.0') ? 'REGISTRY_ONLY' : 'ALLOW_ANY',
    accessLogFile: '',
    accessLogEncoding: 'TEXT',
    accessLogFormat: '',
    enableAutoMtls: true,
    enablePrometheusMerge: true,
    rootNamespace: 'istio-system',
    defaultAccessLogProviders: [],
    extensionProviders: [],
  };
}

const isMap = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read one field with a type check; a wrong type fails the whole config, as protobuf unmarshalling does in istiod. */
function field<T>(m: Record<string, any>, key: string, ok: (v: any) => boolean, expected: string, fallback: T): T {
  const v = m[key];
  if (v === undefined || v === null) return fallback;
  if (!ok(v)) throw new Error(`${key}: expected ${expected}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** Parse `data.mesh` (YAML) over istiod's defaults; unreadable text gives the defaults and the error. */
export function parseMeshConfig(text: string | undefined, istioVersion = '1.30'): MeshConfigRead {
  const defaults = defaultMeshConfig(istioVersion);
  try {
    const doc = yaml.load(text ?? '') ?? {};
    if (!isMap(doc)) throw new Error(`the mesh config must be a YAML mapping, got ${Array.isArray(doc) ? 'a list' : typeof doc}`);
    const outbound = field<Record<string, any>>(doc, 'outboundTrafficPolicy', isMap, 'a mapping', {});
    const mode = field<string | undefined>(outbound, 'mode', (v) => v === 'ALLOW_ANY' || v === 'REGISTRY_ONLY', 'ALLOW_ANY or REGISTRY_ONLY', undefined);
    const providers = field<Record<string, any>>(doc, 'defaultProviders', isMap, 'a mapping', {});
    const retry = field<Record<string, unknown> | undefined>(doc, 'defaultHttpRetryPolicy', isMap, 'an HTTPRetry mapping (attempts, retryOn, …)', undefined);
    const config: MeshConfig = {
      outboundTrafficPolicy: (mode as MeshConfig['outboundTrafficPolicy'] | undefined) ?? defaults.outboundTrafficPolicy,
      accessLogFile: field(doc, 'accessLogFile', (v) => typeof v === 'string', 'a path string', defaults.accessLogFile),
      accessLogEncoding: field(doc, 'accessLogEncoding', (v) => v === 'TEXT' || v === 'JSON', 'TEXT or JSON', defaults.accessLogEncoding),
      accessLogFormat: field(doc, 'accessLogFormat', (v) => typeof v === 'string', 'a string', defaults.accessLogFormat),
      enableAutoMtls: field(doc, 'enableAutoMtls', (v) => typeof v === 'boolean', 'true or false', defaults.enableAutoMtls),
      enablePrometheusMerge: field(doc, 'enablePrometheusMerge', (v) => typeof v === 'boolean', 'true or false', defaults.enablePrometheusMerge),
      ...(retry ? { defaultHttpRetryPolicy: retry } : {}),
      rootNamespace: field(doc, 'rootNamespace', (v) => typeof v === 'string' && v !== '', 'a namespace name', defaults.rootNamespace),
      defaultAccessLogProviders: field(providers, 'accessLogging', (v) => Array.isArray(v) && v.every((p) => typeof p === 'string'), 'a list of provider names', defaults.defaultAccessLogProviders),
      extensionProviders: field(doc, 'extensionProviders', (v) => Array.isArray(v) && v.every(isMap), 'a list of providers', defaults.extensionProviders),
    };
    return { config };
  } catch (err) {
    return { config: defaults, error: (err as Error).message.split('\n')[0] };
  }
}

/**
 * meshConfig.outboundTrafficPolicy.mode from the `istio` ConfigMap (as istioctl writes it). Unset, it
 * is ALLOW_ANY since Istio 1.1 and REGISTRY_ONLY before (§9, §14; Istio 1.1 upgrade notes).
 */
export function readOutboundPolicy(configMap: KubeObject | undefined, istioVersion = '1.30'): 'ALLOW_ANY' | 'REGISTRY_ONLY' {
  return parseMeshConfig(configMap?.data?.mesh, istioVersion).config.outboundTrafficPolicy;
}
