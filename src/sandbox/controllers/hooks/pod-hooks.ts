// Pod defaulting (API defaults plus what the ServiceAccount, Priority and DefaultTolerationSeconds
// admission plugins add), validation including update restrictions, and graceful deletion.
import type { DeleteOptions, KindHooks } from '../../api/registry.js';
import type { StatusCause } from '../../api/status.js';
import type { Random } from '../../runtime/determinism.js';
import type { KubeObject } from '../../types.js';
import { isPodTerminal, sameJson } from '../object-helpers.js';
import { defaultPodSpec, validatePodSpec } from './pod-spec.js';

const tokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const nameChars = 'bcdfghjklmnpqrstvwxz2456789';

const defaultTolerations = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
  key,
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
}));

const updateForbidden =
  'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function addServiceAccountVolume(spec: any, random: Random): void {
  if (spec.automountServiceAccountToken === false) return;
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (all.some((c: any) => (c.volumeMounts ?? []).some((m: any) => m.mountPath === tokenMountPath))) return;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += nameChars[Math.floor(random() * nameChars.length)];
  const name = `kube-api-access-${suffix}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
  for (const c of all) c.volumeMounts = [...(c.volumeMounts ?? []), { name, mountPath: tokenMountPath, readOnly: true }];
}

/** Defaults a Pod gets on the way in (create and update). */
export function defaultPod(pod: KubeObject, old: KubeObject | undefined, random: Random): void {
  const spec = (pod.spec ??= {});
  defaultPodSpec(spec);
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount = spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  if (!old) {
    const tolerations = [...(spec.tolerations ?? [])];
    for (const t of defaultTolerations) if (!tolerations.some((x: any) => x.key === t.key && x.effect === t.effect)) tolerations.push({ ...t });
    spec.tolerations = tolerations;
    addServiceAccountVolume(spec, random);
    pod.status = { phase: 'Pending', qosClass: podQosClass(spec) };
  }
}

/** QoS class from container requests and limits (Guaranteed, Burstable or BestEffort). */
export function podQosClass(spec: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  const res = containers.map((c: any) => ({ requests: c.resources?.requests ?? {}, limits: c.resources?.limits ?? {} }));
  if (res.every((r) => !Object.keys(r.requests).length && !Object.keys(r.limits).length)) return 'BestEffort';
  const guaranteed = res.every((r) =>
    ['cpu', 'memory'].every((k) => r.limits[k] !== undefined && (r.requests[k] === undefined || String(r.requests[k]) === String(r.limits[k]))),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Pod spec changes an update may not make (everything but images, tolerations and a few more). */
function validatePodUpdate(pod: KubeObject, old: KubeObject): StatusCause[] {
  const next = structuredClone(pod.spec ?? {});
  const prev = old.spec ?? {};
  for (const field of ['containers', 'initContainers'] as const) {
    (next[field] ?? []).forEach((c: any, i: number) => {
      if (prev[field]?.[i]) c.image = prev[field][i].image;
    });
  }
  for (const f of ['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds']) next[f] = prev[f];
  if (!prev.nodeName) next.nodeName = prev.nodeName;
  return sameJson(next, prev) ? [] : [{ field: 'spec', reason: 'FieldValueForbidden', message: updateForbidden }];
}

/** Graceful deletion: bound, running pods linger for their grace period; the kubelet finishes them. */
export function deletePodGracefully(pod: KubeObject, options: DeleteOptions): boolean {
  if (pod.metadata.deletionTimestamp) return true;
  const grace = options.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  if (grace <= 0 || !pod.spec?.nodeName || isPodTerminal(pod)) return false;
  pod.metadata.deletionGracePeriodSeconds = grace;
  return true;
}

/** Hooks for `/pods`. */
export function podHooks(random: Random): KindHooks {
  return {
    default: (obj, old) => defaultPod(obj, old, random),
    validate: (obj, old) => [...validatePodSpec(obj.spec, 'spec'), ...(old ? validatePodUpdate(obj, old) : [])],
    deleteGracefully: deletePodGracefully,
  };
}
