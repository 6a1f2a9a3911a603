// `apply`: server-side apply of manifests, Namespaces and CRDs first (waiting for CRDs to be
// Established), every object marked as istio-lab's and recorded before it is applied.
import type { ApplyAction } from '../lab/index.js';
import { collectObjects } from '../lab/index.js';
import type { KubeObject } from '../cluster/types.js';
import type { ObjectChange } from '../runner/events.js';
import type { StepContext } from '../runner/context.js';
import { describeRef, fieldManager, isOwned, labAnnotation, markOwned, refOf } from '../runner/ownership.js';
import { waitForObject } from '../waits/watch.js';
import { conflictError, rejectedError } from './conflict.js';

const firstKinds = ['Namespace', 'CustomResourceDefinition'];

/** Put objects in the order a cluster accepts them: Namespaces, CRDs, then the rest as written. */
export function orderForApply(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) => (firstKinds.includes(o.kind) ? firstKinds.indexOf(o.kind) : firstKinds.length);
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map((x) => x.o);
}

/** Fill in the namespace of namespaced objects that do not name one. */
export async function withNamespaces(ctx: StepContext, objects: KubeObject[], namespace: string | undefined): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const obj of objects) {
    const copy = structuredClone(obj);
    if (firstKinds.includes(copy.kind)) {
      out.push(copy);
      continue;
    }
    const info = await ctx.cluster.resource(copy.apiVersion, copy.kind).catch(() => undefined);
    if ((info?.namespaced ?? true) && !copy.metadata.namespace) copy.metadata.namespace = namespace ?? ctx.loaded.lab.namespace;
    if (info && !info.namespaced) delete copy.metadata.namespace;
    out.push(copy);
  }
  return out;
}

/** Run an apply action; returns one change per object. Conflicts are found before anything is applied. */
export async function runApply(action: ApplyAction, ctx: StepContext): Promise<ObjectChange[]> {
  if (action.only && (action.only === 'sandbox') !== ctx.cluster.target.sandbox) {
    const why = action.only === 'sandbox' ? 'sandbox only; this target is a real cluster' : 'real clusters only; this target is the sandbox';
    return [{ ref: `${action.file ?? action.files?.join(', ') ?? 'inline manifest'} (${why})`, result: 'skipped' }];
  }
  const ordered = orderForApply(collectObjects(ctx.loaded, action) as KubeObject[]);
  const existing = await findExisting(ordered, action.namespace, ctx);
  for (const [, e] of existing) if (e.live && !isOwned(e.live) && !ctx.adopt) throw conflictError(refOf(e.obj), 'apply');
  // Recorded in apply order (lookups finish in any order), so reset, which goes last first, deletes a
  // namespace's or CRD's contents before the namespace or CRD itself.
  const known = [...existing.entries()].sort(([a], [b]) => a - b).map(([, e]) => ({ ...refOf(e.obj), lab: ctx.labId, step: ctx.step.name }));
  await ctx.state.recordObjects(known);
  // Objects another lab created and this one changes: keep their content, so resetting this lab restores it.
  for (const [, e] of existing) {
    if (e.live && isOwned(e.live) && e.live.metadata.annotations?.[labAnnotation] !== ctx.labId) {
      await ctx.state.recordOverwrite({ ...refOf(e.obj), lab: ctx.labId, step: ctx.step.name, previous: restorable(e.live) });
    }
  }
  const changes: ObjectChange[] = [];
  const pendingCrds: KubeObject[] = [];
  for (const [i, raw] of ordered.entries()) {
    if (raw.kind !== 'CustomResourceDefinition' && raw.kind !== 'Namespace' && pendingCrds.length) await establishCrds(pendingCrds.splice(0), ctx);
    const pre = existing.get(i);
    const obj = pre?.obj ?? (await withNamespaces(ctx, [raw], action.namespace))[0];
    const ref = refOf(obj);
    if (!pre) await ctx.state.recordObjects([{ ...ref, lab: ctx.labId, step: ctx.step.name }]);
    const applied = await ctx.cluster.apply(markOwned(obj, ctx.labId, ctx.step.name), { fieldManager, force: true }).catch((err) => {
      throw rejectedError(err, ref, action, ctx);
    });
    const live = pre?.live;
    const result = !live ? 'created' : live.metadata.resourceVersion === applied.metadata.resourceVersion ? 'unchanged' : 'configured';
    changes.push({ ref: describeRef(ref), result });
    if (obj.kind === 'CustomResourceDefinition') pendingCrds.push(obj);
  }
  if (pendingCrds.length) await establishCrds(pendingCrds, ctx);
  return changes;
}

/** Objects (by position) whose kind is already served, with their namespace filled in and their live version. */
async function findExisting(objects: KubeObject[], namespace: string | undefined, ctx: StepContext): Promise<Map<number, { obj: KubeObject; live?: KubeObject }>> {
  const out = new Map<number, { obj: KubeObject; live?: KubeObject }>();
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const i = next++;
      const served = await ctx.cluster.resource(objects[i].apiVersion, objects[i].kind).then(() => true, () => false);
      if (!served) continue; // defined by a CRD in this same action: cannot exist yet
      const [obj] = await withNamespaces(ctx, [objects[i]], namespace);
      out.set(i, { obj, live: await ctx.cluster.get(refOf(obj)) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, objects.length) }, worker));
  return out;
}

/** The parts of a live object that applying it again restores (no status or server-set metadata). */
function restorable(live: KubeObject): KubeObject {
  const { status: _status, ...rest } = structuredClone(live);
  const { name, namespace, labels, annotations } = live.metadata;
  return { ...rest, metadata: { name, namespace, labels, annotations } };
}

async function establishCrds(crds: KubeObject[], ctx: StepContext): Promise<void> {
  for (const crd of crds) {
    await waitForObject(ctx, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: crd.metadata.name! }, (o) => !!o?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True'), ctx.timeoutMs ?? 60_000, `CRD ${crd.metadata.name} Established`);
  }
}
