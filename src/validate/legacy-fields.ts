// Legacy fields inside current Istio kinds (istio-behaviour.md §12): removed ones are errors,
// deprecated-but-accepted ones warnings; each message names the replacement.
import type { PathSegment } from '../lab/index.js';
import type { IstioKind } from './istio-kinds.js';
import { createError, createWarning } from './problem.js';
import type { ObjectProblem } from './problem.js';

/** A legacy field: where it sits ("[]" = every list item) and what to say about it. */
interface LegacyField {
  pattern: string;
  severity: 'error' | 'warning';
  message: string;
}

const headersNote = 'was removed in Istio 1.5; use';
const outlier = (prefix: string): LegacyField => ({
  pattern: `${prefix}.outlierDetection.consecutiveErrors`,
  severity: 'error',
  message: 'consecutiveErrors is ignored since Istio 1.7; use consecutive5xxErrors (or consecutiveGatewayErrors for 502/503/504 only)',
});

/** Legacy fields per Istio kind; kinds without any map to an empty list. */
const LEGACY_FIELDS: Record<IstioKind, readonly LegacyField[]> = {
  VirtualService: [
    { pattern: 'spec.http[].fault.delay.percent', severity: 'warning', message: 'fault.delay.percent is deprecated (Istio ≤1.0 API); use percentage: { value: <percent> }' },
    { pattern: 'spec.http[].fault.abort.percent', severity: 'error', message: 'fault.abort.percent was removed in Istio 1.5; use percentage: { value: <percent> }' },
    { pattern: 'spec.http[].mirror_percent', severity: 'warning', message: 'mirror_percent is deprecated; use mirrorPercentage: { value: <percent> } (or mirrors[].percentage on Istio 1.19+)' },
    { pattern: 'spec.http[].mirrorPercent', severity: 'warning', message: 'mirrorPercent is deprecated; use mirrorPercentage: { value: <percent> } (or mirrors[].percentage on Istio 1.19+)' },
    { pattern: 'spec.http[].websocketUpgrade', severity: 'error', message: 'websocketUpgrade was removed in Istio 1.5; WebSocket upgrades work without it, so delete the field' },
    { pattern: 'spec.http[].appendHeaders', severity: 'error', message: `appendHeaders ${headersNote} headers.request.add` },
    { pattern: 'spec.http[].appendRequestHeaders', severity: 'error', message: `appendRequestHeaders ${headersNote} headers.request.add` },
    { pattern: 'spec.http[].appendResponseHeaders', severity: 'error', message: `appendResponseHeaders ${headersNote} headers.response.add` },
    { pattern: 'spec.http[].removeRequestHeaders', severity: 'error', message: `removeRequestHeaders ${headersNote} headers.request.remove` },
    { pattern: 'spec.http[].removeResponseHeaders', severity: 'error', message: `removeResponseHeaders ${headersNote} headers.response.remove` },
  ],
  DestinationRule: [
    outlier('spec.trafficPolicy'),
    outlier('spec.trafficPolicy.portLevelSettings[]'),
    outlier('spec.subsets[].trafficPolicy'),
    outlier('spec.subsets[].trafficPolicy.portLevelSettings[]'),
  ],
  Gateway: [],
  ServiceEntry: [],
  Sidecar: [],
  WorkloadEntry: [],
  WorkloadGroup: [],
  EnvoyFilter: [],
  ProxyConfig: [],
  AuthorizationPolicy: [],
  PeerAuthentication: [],
  RequestAuthentication: [],
  Telemetry: [],
  WasmPlugin: [],
  IstioOperator: [],
};

/** Finds every concrete path matching a pattern such as "spec.http[].fault.delay.percent". */
export function findPaths(value: unknown, pattern: string): PathSegment[][] {
  let found: { node: unknown; path: PathSegment[] }[] = [{ node: value, path: [] }];
  for (const part of pattern.split('.')) {
    const key = part.replace(/\[\]$/, '');
    const each = part.endsWith('[]');
    found = found.flatMap(({ node, path }) => {
      if (typeof node !== 'object' || node === null || Array.isArray(node) || !(key in node)) return [];
      const child = (node as Record<string, unknown>)[key];
      if (!each) return [{ node: child, path: [...path, key] }];
      return Array.isArray(child) ? child.map((item, index) => ({ node: item, path: [...path, key, index] })) : [];
    });
  }
  return found.map(({ path }) => path);
}

/** Reports the legacy fields an Istio object uses. */
export function checkLegacyFields(object: unknown, kind: IstioKind): ObjectProblem[] {
  return LEGACY_FIELDS[kind].flatMap((field) =>
    findPaths(object, field.pattern).map((path) => (field.severity === 'error' ? createError(path, field.message) : createWarning(path, field.message))),
  );
}
