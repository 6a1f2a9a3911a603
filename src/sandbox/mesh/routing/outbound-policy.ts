// The outbound traffic policy a sidecar runs with (§9): meshConfig.outboundTrafficPolicy.mode, unless
// the Sidecar resource that applies to the pod sets its own `outboundTrafficPolicy` (istio/istio
// pilot/pkg/model/sidecar.go ConvertToSidecarScope: the Sidecar's policy wins, else the mesh's).
// Which Sidecar applies: one in the pod's namespace whose workloadSelector selects the pod, else the
// namespace's selector-less one, else the selector-less one in the root namespace (istio-system);
// the oldest first where several qualify. Only `outboundTrafficPolicy` of a Sidecar is modelled.
import type { KubeObject } from '../../types.js';
import type { MeshSnapshot } from '../types.js';
import { rootNamespace } from './destination-rules.js';

type Mode = MeshSnapshot['outboundTrafficPolicy'];

function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

function selectorOf(sidecar: KubeObject): Record<string, string> | undefined {
  const labels = sidecar.spec?.workloadSelector?.labels;
  return labels && Object.keys(labels).length ? labels : undefined;
}

/** The Sidecar resource that configures `pod`'s proxy, if any. */
export function sidecarResourceFor(snap: MeshSnapshot, pod: KubeObject): KubeObject | undefined {
  const all = [...(snap.sidecars ?? [])].sort(byCreation);
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const local = all.filter((s) => s.metadata.namespace === ns);
  const selecting = local.find((s) => {
    const sel = selectorOf(s);
    return sel && Object.entries(sel).every(([k, v]) => labels[k] === v);
  });
  return selecting ?? local.find((s) => !selectorOf(s)) ?? all.find((s) => s.metadata.namespace === rootNamespace && !selectorOf(s));
}

/** §9: ALLOW_ANY or REGISTRY_ONLY for requests leaving `pod`'s sidecar. */
export function outboundPolicyFor(snap: MeshSnapshot, pod: KubeObject): Mode {
  const mode = sidecarResourceFor(snap, pod)?.spec?.outboundTrafficPolicy?.mode;
  return mode === 'REGISTRY_ONLY' || mode === 'ALLOW_ANY' ? mode : snap.outboundTrafficPolicy;
}
