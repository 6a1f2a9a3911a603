// Waits: convergence conditions a step needs before its checks (rollout, condition, exists,
// absent, pods ready). All are watch-based with timeouts; one function per kind in a map.
import type { Wait, WaitKind } from '../lab/index.js';
import { parseDuration } from '../lab/index.js';
import type { KubeObject } from '../cluster/types.js';
import type { StepContext } from '../runner/context.js';
import { defaultApiVersion } from '../runner/ownership.js';
import { waitForList, waitForObject } from './watch.js';

/** Default timeout of a wait that names none. */
export const defaultWaitTimeoutMs = 120_000;

type WaitRunner<K extends WaitKind> = (w: Extract<Wait, { kind: K }>, ctx: StepContext, timeoutMs: number) => Promise<void>;

/** Whether a Deployment finished rolling out, by the rules `kubectl rollout status` uses. */
export function isRolledOut(d: KubeObject | undefined): boolean {
  if (!d) return false;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return false;
  const replicas = d.spec?.replicas ?? 1;
  return (s.updatedReplicas ?? 0) >= replicas && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
}

/** Whether a pod is Ready and not terminating. */
export function isPodReady(p: KubeObject): boolean {
  return !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Count of ready containers of a pod, native sidecars included. */
export function readyContainers(p: KubeObject): number {
  return [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? []).filter((s: any) => s.started && s.ready)].filter((s: any) => s.ready).length;
}

function selectorString(sel: Record<string, string>): string {
  return Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
}

const runners: { [K in WaitKind]: WaitRunner<K> } = {
  rollout: async (w, ctx, t) => {
    for (const name of [w.deployment].flat()) {
      await waitForObject(ctx, { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: w.namespace ?? ctx.loaded.lab.namespace }, isRolledOut, t, `deployment/${name} to roll out`);
    }
  },
  condition: async (w, ctx, t) => {
    const ref = { apiVersion: w.target.apiVersion ?? defaultApiVersion(w.target.kind), kind: w.target.kind, name: w.target.name, namespace: w.target.namespace ?? ctx.loaded.lab.namespace };
    await waitForObject(ctx, ref, (o) => !!o?.status?.conditions?.some((c: any) => c.type === w.condition && c.status === w.status), t, `${w.target.kind}/${w.target.name} condition ${w.condition}=${w.status}`);
  },
  exists: async (w, ctx, t) => {
    await waitForObject(ctx, { ...w.target, namespace: w.target.namespace ?? ctx.loaded.lab.namespace }, (o) => !!o, t, `${w.target.kind}/${w.target.name} to exist`);
  },
  absent: async (w, ctx, t) => {
    await waitForObject(ctx, { ...w.target, namespace: w.target.namespace ?? ctx.loaded.lab.namespace }, (o) => !o, t, `${w.target.kind}/${w.target.name} to be gone`);
  },
  'pods-ready': async (w, ctx, t) => {
    const sel = selectorString(w.selector);
    await waitForList(ctx, { apiVersion: 'v1', kind: 'Pod' }, { namespace: w.namespace ?? ctx.loaded.lab.namespace, labelSelector: sel }, (pods) => {
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      const ready = live.filter((p) => isPodReady(p) && (w.containers === undefined || readyContainers(p) >= w.containers));
      return ready.length >= (w.count ?? 1) && (w.count !== undefined || ready.length === live.length);
    }, t, `pods ${sel} to be ready${w.containers ? ` with ${w.containers} containers` : ''}`);
  },
};

/** Run one wait; `--timeout` overrides the wait's own timeout. */
export function runWait(w: Wait, ctx: StepContext): Promise<void> {
  const timeout = ctx.timeoutMs ?? (w.timeout ? parseDuration(w.timeout) : defaultWaitTimeoutMs);
  return (runners[w.kind] as WaitRunner<WaitKind>)(w as never, ctx, timeout);
}

/** One-line description of a wait. */
export function describeWait(w: Wait): string {
  switch (w.kind) {
    case 'rollout':
      return `rollout deployment/${[w.deployment].flat().join(',')}`;
    case 'condition':
      return `${w.target.kind}/${w.target.name} ${w.condition}=${w.status}`;
    case 'exists':
      return `${w.target.kind}/${w.target.name} exists`;
    case 'absent':
      return `${w.target.kind}/${w.target.name} absent`;
    case 'pods-ready':
      return `pods ${selectorString(w.selector)} ready${w.containers ? ` (${w.containers} containers)` : ''}`;
  }
}
