// Small helpers every controller shares: type lookup by storage key, owner references, pod state, conditions.
import type { Registry } from '../api/registry.js';
import { canonical } from '../api/registry.js';
import type { ResourceType } from '../api/resource-types.js';
import { ApiError } from '../api/status.js';
import type { KubeObject, OwnerReference } from '../types.js';

/** Field manager the controllers write as, like the real kube-controller-manager. */
export const controllerManager = 'kube-controller-manager';

/** The served type stored under `key` (`apps/deployments`), preferring its storage version. */
export function typeForKey(registry: Registry, key: string): ResourceType {
  const all = registry.types.all().filter((t) => registry.types.keyOf(t) === key);
  const rt = all.find((t) => t.version === t.storageVersion) ?? all[0];
  if (!rt) throw new Error(`no served type for storage key ${key}`);
  return rt;
}

/** `namespace/name` (or `name`) of an object, the queue key most controllers use. */
export function refKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!;
}

/** Split a `namespace/name` queue key. */
export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}

/** The controlling owner reference of an object, if any. */
export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** True when `obj` is controlled by the object with uid `ownerUid`. */
export function isControlledBy(obj: KubeObject, ownerUid: string | undefined): boolean {
  return !!ownerUid && controllerOf(obj)?.uid === ownerUid;
}

/** A controller owner reference pointing at `owner`, as real controllers set it. */
export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The Ready condition of a pod is True. */
export function isPodReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** The pod has finished (Succeeded or Failed). */
export function isPodTerminal(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** The pod counts toward a controller's replicas: not terminating and not finished. */
export function isPodActive(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && !isPodTerminal(pod);
}

/** Milliseconds until a ready pod becomes available under minReadySeconds (0 = available now, -1 = not ready). */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, now: Date): number {
  if (!isPodReady(pod)) return -1;
  if (!minReadySeconds) return 0;
  const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const since = Date.parse(ready?.lastTransitionTime ?? '') || 0;
  return Math.max(0, since + minReadySeconds * 1000 - now.getTime());
}

/** A condition as workload statuses carry it. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
  [key: string]: unknown;
}

/**
 * Set a condition the way the real helpers do: unchanged when status and reason match,
 * keeping lastTransitionTime when only the reason or message changes.
 */
export function setCondition(conditions: Condition[] | undefined, next: Condition, now: string, withUpdateTime = false): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const prev = i >= 0 ? list[i] : undefined;
  if (prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message) return list;
  const cond: Condition = { ...next };
  if (withUpdateTime) cond.lastUpdateTime = now;
  cond.lastTransitionTime = prev && prev.status === next.status ? prev.lastTransitionTime : now;
  if (i >= 0) list[i] = cond;
  else list.push(cond);
  return list;
}

/** JSON equality with sorted keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** True for an ApiError with the given HTTP code. */
export function isApiError(err: unknown, code: number): boolean {
  return err instanceof ApiError && err.code === code;
}

/** Run a write and ignore 404/409 (the object moved on; the next event requeues it). */
export function ignoreGone(write: () => void): void {
  try {
    write();
  } catch (err) {
    if (!isApiError(err, 404) && !isApiError(err, 409)) throw err;
  }
}

/** Write `status` through the status subresource when it differs from the stored one. */
export function writeStatus(registry: Registry, key: string, obj: KubeObject, status: Record<string, unknown>): KubeObject {
  if (sameJson(obj.status ?? {}, status)) return obj;
  const rt = typeForKey(registry, key);
  return registry.update(rt, obj.metadata.namespace, obj.metadata.name!, { ...obj, status }, { subresource: 'status', fieldManager: controllerManager });
}

/** Drop zero-valued counters, as Go's `omitempty` does in workload statuses. */
export function omitZero<T extends Record<string, unknown>>(status: T, keep: string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) if (v !== 0 || keep.includes(k)) out[k] = v;
  return out as T;
}
