// Reset: remove everything istio-lab recorded as created (last first, waiting until it is gone),
// restore labels it changed on other objects, and never touch an object it did not create.
import type { Cluster, ObjectRef } from '../cluster/types.js';
import type { EventSink, ObjectChange } from './events.js';
import { StateStore, sameRef } from './state.js';
import { describeRef, fieldManager, isOwned } from './ownership.js';
import { waitForObject } from '../waits/watch.js';
import { NoKindMatchError } from '../cluster/discovery.js';
import { uninstallRecorded } from './uninstall.js';

/** What reset did. */
export interface ResetResult {
  removed: ObjectChange[];
  restored: ObjectChange[];
  skipped: ObjectChange[];
  labs: string[];
}

/** Reset the given labs (`track/name`), or every recorded lab when `labs` is empty. */
export async function resetLabs(cluster: Cluster, labs: string[], emit: EventSink, signal: AbortSignal, timeoutMs = 120_000, tools?: { istioctl?: string }): Promise<ResetResult> {
  const state = new StateStore(cluster);
  const current = await state.load();
  const recordedLabs = [...new Set([...Object.keys(current.labs), ...current.objects.map((o) => o.lab), ...current.labels.map((l) => l.lab), ...(current.installs ?? []).map((i) => i.lab), ...(current.overwrites ?? []).map((o) => o.lab)])];
  const targets = labs.length ? labs.filter((l) => recordedLabs.includes(l)) : recordedLabs;
  const result: ResetResult = { removed: [], restored: [], skipped: [], labs: targets };
  // Control planes installed by a tool go first, while their namespace still exists.
  for (const lab of [...targets].reverse()) {
    const installs = (current.installs ?? []).filter((i) => i.lab === lab);
    if (installs.length) result.removed.push(...(await uninstallRecorded(cluster, installs, tools, emit, signal)).filter((c) => c.result === 'deleted'));
  }
  const objects = current.objects.filter((o) => targets.includes(o.lab)).reverse();
  const deleted: ObjectRef[] = [];
  const perLab = new Map<string, ObjectChange[]>(targets.map((t) => [t, []]));
  for (const o of objects) {
    const ref: ObjectRef = { apiVersion: o.apiVersion, kind: o.kind, name: o.name, namespace: o.namespace };
    const live = await cluster.get(ref).catch(() => undefined);
    if (!live) continue;
    if (!isOwned(live)) {
      result.skipped.push({ ref: describeRef(ref), result: 'unchanged' });
      continue;
    }
    if (await cluster.delete(ref, { propagationPolicy: 'Foreground' })) {
      await waitUntilGone(cluster, ref, signal, timeoutMs);
      deleted.push(ref);
      const change: ObjectChange = { ref: describeRef(ref), result: 'deleted' };
      result.removed.push(change);
      perLab.get(o.lab)?.push(change);
    }
  }
  // Objects of other labs that a reset lab changed get their earlier content back (latest change first),
  // unless the lab that created them is reset too (then they are gone).
  for (const o of (current.overwrites ?? []).filter((x) => targets.includes(x.lab)).reverse()) {
    const ref: ObjectRef = { apiVersion: o.apiVersion, kind: o.kind, name: o.name, namespace: o.namespace };
    const live = await cluster.get(ref).catch(() => undefined);
    if (!live || !isOwned(live) || deleted.some((d) => sameRef(d, ref))) continue;
    await cluster.apply(o.previous, { fieldManager, force: true });
    const change: ObjectChange = { ref: describeRef(ref), result: 'configured' };
    result.restored.push(change);
    perLab.get(o.lab)?.push(change);
  }
  for (const l of current.labels.filter((x) => targets.includes(x.lab))) {
    const ref: ObjectRef = { apiVersion: l.apiVersion, kind: l.kind, name: l.name, namespace: l.namespace };
    const live = await cluster.get(ref).catch(() => undefined);
    if (!live || isOwned(live)) continue;
    await cluster.patch(ref, { metadata: { labels: { [l.key]: l.previous } } }, 'merge');
    const change: ObjectChange = { ref: `${describeRef(ref)} ${l.previous === null ? `${l.key}-` : `${l.key}=${l.previous}`}`, result: 'labeled' };
    result.restored.push(change);
    perLab.get(l.lab)?.push(change);
  }
  for (const lab of targets) await state.forgetLab(lab);
  if (state.isEmpty()) await state.destroy();
  for (const [lab, changes] of perLab) emit({ type: 'action', lab, step: 'reset', summary: `reset ${lab}`, changes });
  return result;
}

/** Wait until a deleted object is gone; a kind that is no longer served (its CRD was removed) counts as gone. */
async function waitUntilGone(cluster: Cluster, ref: ObjectRef, signal: AbortSignal, timeoutMs: number): Promise<void> {
  try {
    await waitForObject({ cluster, signal }, ref, (o) => !o, timeoutMs, `${describeRef(ref)} to be deleted`);
  } catch (err) {
    if (!(err instanceof NoKindMatchError) && (err as { status?: number }).status !== 404) throw err;
  }
}
