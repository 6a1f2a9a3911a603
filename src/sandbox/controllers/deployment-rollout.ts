// Pure rollout arithmetic of the Deployment controller: surge/unavailable fenceposts, scale-up and
// scale-down plans, template equality and revisions (pkg/controller/deployment/util in Kubernetes).
import type { KubeObject } from '../types.js';
import { controllerRef, sameJson } from './object-helpers.js';

/** Annotation holding a Deployment's and its ReplicaSets' revision. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';

/** Resolve an int-or-percent against `total` (percentages round up or down). */
export function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? '0'));
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** [maxSurge, maxUnavailable] of a Deployment; both zero becomes unavailable 1, as upstream. */
export function fenceposts(d: KubeObject): [number, number] {
  const desired = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type !== 'RollingUpdate') return [0, 0];
  const ru = d.spec.strategy.rollingUpdate ?? {};
  const surge = resolveIntOrPercent(ru.maxSurge ?? '25%', desired, true);
  const unavailable = resolveIntOrPercent(ru.maxUnavailable ?? '25%', desired, false);
  return surge === 0 && unavailable === 0 ? [0, 1] : [surge, unavailable];
}

/** MaxUnavailable as the Available condition uses it (never above replicas). */
export function maxUnavailable(d: KubeObject): number {
  const desired = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type !== 'RollingUpdate' || desired === 0) return 0;
  return Math.min(fenceposts(d)[1], desired);
}

const specReplicas = (rs: KubeObject | undefined): number => rs?.spec?.replicas ?? 0;
const available = (rs: KubeObject | undefined): number => rs?.status?.availableReplicas ?? 0;

/** Sum of spec.replicas. */
export function sumSpec(list: KubeObject[]): number {
  return list.reduce((n, rs) => n + specReplicas(rs), 0);
}

/** Target size of the new ReplicaSet under rolling update (NewRSNewReplicas). */
export function newReplicaCount(d: KubeObject, newRS: KubeObject | undefined, all: KubeObject[]): number {
  const desired = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type !== 'RollingUpdate') return desired;
  const current = specReplicas(newRS);
  if (current >= desired) return desired;
  const [surge] = fenceposts(d);
  const room = desired + surge - sumSpec(all);
  return room <= 0 ? current : current + Math.min(room, desired - current);
}

/** New spec.replicas for old ReplicaSets (oldest first): unhealthy replicas go first, then down to minAvailable. */
export function scaleDownOld(d: KubeObject, newRS: KubeObject | undefined, old: KubeObject[]): Map<string, number> {
  const plan = new Map<string, number>();
  const desired = d.spec?.replicas ?? 1;
  const [, unavailable] = fenceposts(d);
  const all = newRS ? [newRS, ...old] : old;
  if (sumSpec(old) === 0) return plan;
  const minAvailable = desired - unavailable;
  const newUnavailable = specReplicas(newRS) - available(newRS);
  const sorted = [...old].sort(byCreation);
  const size = (rs: KubeObject) => plan.get(rs.metadata.name!) ?? specReplicas(rs);
  let budget = sumSpec(all) - minAvailable - newUnavailable;
  for (const rs of sorted) {
    if (budget <= 0) break;
    const unhealthy = size(rs) - available(rs);
    if (unhealthy <= 0) continue;
    const cut = Math.min(budget, unhealthy);
    plan.set(rs.metadata.name!, size(rs) - cut);
    budget -= cut;
  }
  let remaining = all.reduce((n, rs) => n + available(rs), 0) - minAvailable;
  for (const rs of sorted) {
    if (remaining <= 0) break;
    const cut = Math.min(size(rs), remaining);
    if (cut <= 0) continue;
    plan.set(rs.metadata.name!, size(rs) - cut);
    remaining -= cut;
  }
  return plan;
}

function byCreation(a: KubeObject, b: KubeObject): number {
  const t = (o: KubeObject) => Date.parse(o.metadata.creationTimestamp ?? '') || 0;
  return t(a) - t(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1);
}

/** A pod template without the pod-template-hash label. */
export function withoutHash(template: any): any {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  return copy;
}

/** Whether a ReplicaSet runs the Deployment's current template (EqualIgnoreHash). */
export function runsTemplate(rs: KubeObject, d: KubeObject): boolean {
  return sameJson(withoutHash(rs.spec?.template), withoutHash(d.spec?.template));
}

/** The revision number a ReplicaSet carries (0 when absent). */
export function revisionOf(obj: KubeObject | undefined): number {
  return Number(obj?.metadata.annotations?.[revisionAnnotation] ?? 0) || 0;
}

const skipAnnotations = (k: string) => k === 'kubectl.kubernetes.io/last-applied-configuration' || k.startsWith('deployment.kubernetes.io/');

/** Annotations a ReplicaSet takes from its Deployment, plus revision and replica bookkeeping. */
export function replicaSetAnnotations(d: KubeObject, revision: number): Record<string, string> {
  const copied = Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !skipAnnotations(k)));
  const desired = d.spec?.replicas ?? 1;
  return {
    ...copied,
    'deployment.kubernetes.io/desired-replicas': String(desired),
    'deployment.kubernetes.io/max-replicas': String(desired + fenceposts(d)[0]),
    [revisionAnnotation]: String(revision),
  };
}

/** The ReplicaSet `<deployment>-<hash>` for the Deployment's current template. */
export function newReplicaSet(d: KubeObject, hash: string, replicas: number, revision: number): KubeObject {
  const template = structuredClone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: template.metadata.labels,
      annotations: replicaSetAnnotations(d, revision),
      ownerReferences: [controllerRef(d)],
    },
    spec: { replicas, ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
  };
}
