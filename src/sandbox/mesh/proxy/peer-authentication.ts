// PeerAuthentication (§8): the mTLS mode a workload's inbound port enforces — workload policy
// (port-level first), then namespace policy, then mesh policy in the root namespace; UNSET inherits;
// nothing at all → PERMISSIVE.
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { rootNamespace } from '../routing/index.js';
import { byCreation } from '../routing/virtual-services.js';

/** Effective inbound mTLS mode. */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

const known = new Set(['STRICT', 'PERMISSIVE', 'DISABLE']);

function modeOf(value: unknown): MtlsMode | undefined {
  return typeof value === 'string' && known.has(value) ? (value as MtlsMode) : undefined;
}

function selectorless(pas: KubeObject[], ns: string): KubeObject | undefined {
  return pas.filter((p) => p.metadata.namespace === ns && !Object.keys(p.spec?.selector?.matchLabels ?? {}).length).sort(byCreation)[0];
}

/** §8: effective mode for `pod` on container port `port`. */
export function effectiveMtlsMode(snap: MeshSnapshot, pod: KubeObject, port: number): MtlsMode {
  const pas = snap.peerAuthentications;
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const workload = pas
    .filter((p) => p.metadata.namespace === ns && Object.keys(p.spec?.selector?.matchLabels ?? {}).length)
    .filter((p) => Object.entries(p.spec.selector.matchLabels).every(([k, v]) => labels[k] === v))
    .sort(byCreation)[0];
  const chain = [workload?.spec?.portLevelMtls?.[String(port)]?.mode, workload?.spec?.mtls?.mode, selectorless(pas, ns)?.spec?.mtls?.mode];
  if (ns !== rootNamespace) chain.push(selectorless(pas, rootNamespace)?.spec?.mtls?.mode);
  for (const m of chain) {
    const mode = modeOf(m);
    if (mode) return mode;
  }
  return 'PERMISSIVE';
}
