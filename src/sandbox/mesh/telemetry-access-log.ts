// Where a proxy's access logs go, as istiod computes it: Telemetry `spec.accessLogging`
// (telemetry.istio.io/v1) when any applies to the workload, else meshConfig.accessLogFile
// (istio/istio pilot/pkg/model/telemetry.go `AccessLogging`, `applicableTelemetries`, `mergeLogs`;
// pilot/pkg/networking/core/accesslog.go `setHTTPAccessLog`: "No Telemetry API configured, fall back
// to legacy mesh config setting"). istio.io "Telemetry API": root namespace < namespace < workload.
import type { KubeObject } from '../types.js';
import type { MeshConfig } from './mesh-config.js';

/** Which side of a proxy wrote the line: outbound/gateway = CLIENT, sidecar inbound = SERVER. */
export type WorkloadMode = 'CLIENT' | 'SERVER';

/** One access log output of a proxy. */
export interface AccessLogOutput {
  /** What configured it, for messages (`meshConfig.accessLogFile` or `Telemetry provider envoy`). */
  source: string;
  /** File path inside the istio-proxy container (`/dev/stdout` is the container log). */
  path: string;
  /** A format other than Envoy's default TEXT one that this output asks for (the sandbox writes TEXT only). */
  customFormat?: string;
  /** Telemetry `filter.expression` (CEL) for this provider. */
  filter?: string;
}

/** Istio's built-in access log provider `envoy`: a file log to /dev/stdout in the default TEXT format (istio.io Telemetry API "Provider Selection"). */
const builtinEnvoy = { name: 'envoy', envoyFileAccessLog: { path: '/dev/stdout' } };

const selectorOf = (t: KubeObject): Record<string, string> => t.spec?.selector?.matchLabels ?? {};
const hasSelector = (t: KubeObject) => Object.keys(selectorOf(t)).length > 0;
const byCreation = (a: KubeObject, b: KubeObject) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

/** accessLogging lists that apply to `pod`, root namespace first, then its namespace, then the one selecting it. */
export function applicableAccessLogging(telemetries: KubeObject[], pod: KubeObject, rootNamespace: string): any[][] {
  const sorted = [...telemetries].sort(byCreation);
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const levels: (KubeObject | undefined)[] = [sorted.find((t) => t.metadata.namespace === rootNamespace && !hasSelector(t))];
  if (ns !== rootNamespace) levels.push(sorted.find((t) => t.metadata.namespace === ns && !hasSelector(t)));
  levels.push(sorted.find((t) => t.metadata.namespace === ns && hasSelector(t) && Object.entries(selectorOf(t)).every(([k, v]) => labels[k] === v)));
  return levels.map((t) => t?.spec?.accessLogging).filter((l): l is any[] => Array.isArray(l) && l.length > 0);
}

const providerNames = (l: any): string[] => (l?.providers ?? []).map((p: any) => String(p?.name ?? '')).filter(Boolean);

/** `match.mode` of an accessLogging entry covers `mode` (unset or CLIENT_AND_SERVER covers both). */
const matchesMode = (l: any, mode: WorkloadMode) => !l?.match?.mode || l.match.mode === 'CLIENT_AND_SERVER' || l.match.mode === mode;

/** istiod's mergeLogs: the providers left on after every level, each with its filter expression. */
export function mergeAccessLogging(levels: any[][], defaults: string[], mode: WorkloadMode): Map<string, string | undefined> {
  const providers = new Map<string, string | undefined>();
  if (!levels.length) {
    for (const d of defaults) providers.set(d, undefined);
    return providers;
  }
  // The deepest level that names providers decides which are in scope; filters are the last seen per provider.
  let inScope = defaults;
  const filters = new Map<string, string | undefined>();
  for (const level of levels) {
    const named = new Set<string>();
    for (const l of level) {
      for (const p of providerNames(l)) {
        named.add(p);
        filters.set(p, l?.filter?.expression);
      }
    }
    if (named.size) inScope = [...named];
  }
  let parent = defaults;
  for (const level of levels) {
    for (const l of level) {
      const names = providerNames(l).length ? providerNames(l) : parent;
      parent = names;
      for (const p of names) {
        if (!inScope.includes(p) || !matchesMode(l, mode)) continue;
        if (l?.disabled === true) providers.delete(p);
        else providers.set(p, filters.get(p));
      }
    }
  }
  return providers;
}

/** An extension provider by name (case-insensitive, as istiod's fetchProvider); `envoy` is built in unless redefined. */
export function findProvider(mesh: MeshConfig, name: string): Record<string, any> | undefined {
  const same = (p: Record<string, any>) => String(p.name ?? '').toLowerCase() === name.toLowerCase();
  return mesh.extensionProviders.find(same) ?? (same(builtinEnvoy) ? builtinEnvoy : undefined);
}

/** The non-default format an envoyFileAccessLog provider asks for, if any. */
function providerFormat(p: Record<string, any>): string | undefined {
  const f = p.envoyFileAccessLog?.logFormat;
  if (f?.labels) return 'a JSON logFormat (labels)';
  return f?.text ? 'a custom text logFormat' : undefined;
}

/** The access log outputs of `pod`'s proxy on its `mode` side. */
export function accessLogOutputs(mesh: MeshConfig, telemetries: KubeObject[], pod: KubeObject, mode: WorkloadMode): AccessLogOutput[] {
  const levels = applicableAccessLogging(telemetries, pod, mesh.rootNamespace);
  if (!levels.length && !mesh.defaultAccessLogProviders.length) {
    if (!mesh.accessLogFile) return [];
    const customFormat = mesh.accessLogEncoding === 'JSON' ? 'accessLogEncoding: JSON' : mesh.accessLogFormat ? 'a custom accessLogFormat' : undefined;
    return [{ source: 'meshConfig.accessLogFile', path: mesh.accessLogFile, customFormat }];
  }
  const out: AccessLogOutput[] = [];
  for (const [name, filter] of mergeAccessLogging(levels, mesh.defaultAccessLogProviders, mode)) {
    const p = findProvider(mesh, name);
    // Providers that are undefined, or not file logs (OpenTelemetry, gRPC ALS), write nothing to the container (telemetry-warnings.ts says so).
    if (!p?.envoyFileAccessLog) continue;
    out.push({ source: `Telemetry provider ${name}`, path: String(p.envoyFileAccessLog.path ?? ''), customFormat: providerFormat(p), filter });
  }
  return out;
}
