// `label`, `scale`, `restart` and `patch`: changes to existing objects.
import type { LabelAction, PatchAction, RestartAction, ScaleAction } from '../lab/index.js';
import type { ObjectRef } from '../cluster/types.js';
import type { ObjectChange } from '../runner/events.js';
import type { StepContext } from '../runner/context.js';
import { defaultApiVersion, describeRef, fieldManager, isOwned } from '../runner/ownership.js';
import { conflictError } from './conflict.js';
import { UserError, ExitCode } from '../cli/errors.js';

function targetRef(t: { apiVersion?: string; kind: string; name: string; namespace?: string }, ctx: StepContext): ObjectRef {
  return { apiVersion: t.apiVersion ?? defaultApiVersion(t.kind), kind: t.kind, name: t.name, namespace: t.namespace ?? ctx.loaded.lab.namespace };
}

async function mustGet(ref: ObjectRef, ctx: StepContext) {
  const obj = await ctx.cluster.get(ref);
  if (!obj) throw new UserError(`${describeRef(ref)}${ref.namespace ? ` in namespace ${ref.namespace}` : ''} does not exist, so step "${ctx.step.name}" cannot change it.`, ExitCode.checkFailed, 'run the lab\'s earlier steps (or its `requires`) first.');
  return obj;
}

/** Set or remove labels; labels on objects istio-lab did not create are recorded so reset restores them. */
export async function runLabel(action: LabelAction, ctx: StepContext): Promise<ObjectChange[]> {
  const ref = targetRef(action.target, ctx);
  const info = await ctx.cluster.resource(ref.apiVersion, ref.kind);
  if (!info.namespaced) delete ref.namespace;
  const obj = await mustGet(ref, ctx);
  if (!isOwned(obj)) {
    for (const key of Object.keys(action.labels)) {
      await ctx.state.recordLabel({ ...ref, lab: ctx.labId, key, previous: obj.metadata.labels?.[key] ?? null });
    }
  }
  await ctx.cluster.patch(ref, { metadata: { labels: action.labels } }, 'merge', { fieldManager });
  return [{ ref: describeRef(ref), result: 'labeled' }];
}

/** Scale a deployment the lab created. */
export async function runScale(action: ScaleAction, ctx: StepContext): Promise<ObjectChange[]> {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: action.deployment, namespace: action.namespace ?? ctx.loaded.lab.namespace };
  const obj = await mustGet(ref, ctx);
  if (!isOwned(obj) && !ctx.adopt) throw conflictError(ref, 'scale');
  await ctx.cluster.patch(ref, { spec: { replicas: action.replicas } }, 'merge', { fieldManager });
  return [{ ref: describeRef(ref), result: 'scaled' }];
}

/** Restart deployments the way `kubectl rollout restart` does (a template annotation). */
export async function runRestart(action: RestartAction, ctx: StepContext): Promise<ObjectChange[]> {
  const names = Array.isArray(action.deployment) ? action.deployment : [action.deployment];
  const changes: ObjectChange[] = [];
  for (const name of names) {
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: action.namespace ?? ctx.loaded.lab.namespace };
    const obj = await mustGet(ref, ctx);
    if (!isOwned(obj) && !ctx.adopt) throw conflictError(ref, 'restart');
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } };
    await ctx.cluster.patch(ref, patch, 'merge', { fieldManager });
    changes.push({ ref: describeRef(ref), result: 'restarted' });
  }
  return changes;
}

/** Patch an object the lab created. */
export async function runPatch(action: PatchAction, ctx: StepContext): Promise<ObjectChange[]> {
  const ref = targetRef(action.target, ctx);
  const info = await ctx.cluster.resource(ref.apiVersion, ref.kind);
  if (!info.namespaced) delete ref.namespace;
  const obj = await mustGet(ref, ctx);
  if (!isOwned(obj) && !ctx.adopt) throw conflictError(ref, 'patch');
  await ctx.cluster.patch(ref, action.patch, action.type, { fieldManager });
  return [{ ref: describeRef(ref), result: 'patched' }];
}
