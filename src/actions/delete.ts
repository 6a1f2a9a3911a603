// `delete`: remove a lab's own objects (from manifests or one named target).
import type { DeleteAction } from '../lab/index.js';
import { collectObjects } from '../lab/index.js';
import type { KubeObject } from '../cluster/types.js';
import type { ObjectChange } from '../runner/events.js';
import type { StepContext } from '../runner/context.js';
import { describeRef, isOwned, refOf } from '../runner/ownership.js';
import { withNamespaces } from './apply.js';
import { conflictError } from './conflict.js';

/** Run a delete action, last object first. */
export async function runDelete(action: DeleteAction, ctx: StepContext): Promise<ObjectChange[]> {
  const objects = await withNamespaces(ctx, collectObjects(ctx.loaded, action) as KubeObject[], action.namespace ?? action.target?.namespace);
  const changes: ObjectChange[] = [];
  for (const obj of objects.reverse()) {
    const ref = refOf(obj);
    const existing = await ctx.cluster.get(ref);
    if (!existing) {
      if (!action.ignoreNotFound) throw new Error(`${describeRef(ref)} does not exist`);
      changes.push({ ref: describeRef(ref), result: 'absent' });
      continue;
    }
    if (!isOwned(existing) && !ctx.adopt) throw conflictError(ref, 'delete');
    await ctx.cluster.delete(ref);
    await ctx.state.forgetObject(ref);
    changes.push({ ref: describeRef(ref), result: 'deleted' });
  }
  return changes;
}
