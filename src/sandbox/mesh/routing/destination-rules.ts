// DestinationRule lookup, subsets and the effective traffic policy of a cluster (§5).
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { expandHost, hostCovers } from './hosts.js';
import { byCreation, isVisible } from './virtual-services.js';

/** The traffic policy fields the data plane acts on (§5). */
export interface TrafficPolicy {
  connectionPool?: any;
  loadBalancer?: any;
  outlierDetection?: any;
  tls?: any;
}

/** Istio's root (mesh config) namespace. */
export const rootNamespace = 'istio-system';

const policyFields = ['connectionPool', 'loadBalancer', 'outlierDetection', 'tls'] as const;

/**
 * The DestinationRule for `hostname` as seen by a client: the client's namespace first, then the
 * service's, then the root namespace; within one, the most specific host, then the oldest.
 */
export function findDestinationRule(snap: MeshSnapshot, hostname: string, client: { namespace: string; labels: Record<string, string> }, serviceNamespace?: string): KubeObject | undefined {
  const candidates = snap.destinationRules.filter((dr) => {
    const host = expandHost(dr.spec?.host ?? '', dr.metadata.namespace ?? 'default', snap.domain);
    if (!(host === hostname || hostCovers(host, hostname))) return false;
    const sel = dr.spec?.workloadSelector?.matchLabels;
    if (sel && (dr.metadata.namespace !== client.namespace || !Object.entries(sel).every(([k, v]) => client.labels[k] === v))) return false;
    return isVisible(dr, client.namespace);
  });
  const specificity = (dr: KubeObject) => {
    const host = expandHost(dr.spec.host, dr.metadata.namespace ?? 'default', snap.domain);
    return host === hostname ? Number.MAX_SAFE_INTEGER : host.length;
  };
  for (const ns of [client.namespace, serviceNamespace, rootNamespace]) {
    const inNs = candidates.filter((dr) => dr.metadata.namespace === ns);
    if (inNs.length) return inNs.sort((a, b) => specificity(b) - specificity(a) || byCreation(a, b))[0];
  }
  return candidates.sort(byCreation)[0];
}

/** The named subset of a DestinationRule, if defined. */
export function findSubset(dr: KubeObject | undefined, name: string): any | undefined {
  return (dr?.spec?.subsets ?? []).find((s: any) => s.name === name);
}

function applyPortLevel(policy: any, port: number): TrafficPolicy {
  const out: TrafficPolicy = {};
  for (const f of policyFields) if (policy?.[f] !== undefined) out[f] = policy[f];
  const pl = (policy?.portLevelSettings ?? []).find((p: any) => Number(p.port?.number) === port);
  for (const f of policyFields) if (pl?.[f] !== undefined) out[f] = pl[f];
  return out;
}

/** §5 `MergeTrafficPolicy`: top-level (with its port-level settings), then the subset's fields override whole. */
export function effectivePolicy(dr: KubeObject | undefined, subset: any | undefined, port: number): TrafficPolicy {
  const base = applyPortLevel(dr?.spec?.trafficPolicy, port);
  if (!subset?.trafficPolicy) return base;
  const sub = applyPortLevel(subset.trafficPolicy, port);
  return { ...base, ...Object.fromEntries(policyFields.filter((f) => sub[f] !== undefined).map((f) => [f, sub[f]])) };
}
