// Watch-based waiting: list, then watch from the list's resourceVersion until a predicate holds;
// relist when the watch ends or expires (410); time out with the last observed state.
import type { KubeObject, ListOptions, ObjectRef } from '../cluster/types.js';
import { InterruptedError, type StepContext } from '../runner/context.js';

/** A wait that did not converge in time; carries what was last seen for diagnostics. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastObserved: KubeObject[],
  ) {
    super(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}`);
  }
}

type Ctx = Pick<StepContext, 'cluster' | 'signal'>;

/** Wait until `predicate(items)` holds for the objects a list selects. */
export async function waitForList(ctx: Ctx, kind: { apiVersion: string; kind: string }, sel: ListOptions, predicate: (items: KubeObject[]) => boolean, timeoutMs: number, what: string): Promise<KubeObject[]> {
  const deadline = Date.now() + timeoutMs;
  const objects = new Map<string, KubeObject>();
  const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  while (true) {
    if (ctx.signal.aborted) throw new InterruptedError();
    const list = await ctx.cluster.list(kind.apiVersion, kind.kind, sel);
    objects.clear();
    for (const o of list.items) objects.set(key(o), o);
    if (predicate([...objects.values()])) return [...objects.values()];
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new WaitTimeoutError(what, timeoutMs, [...objects.values()]);
    const local = new AbortController();
    const stop = () => local.abort();
    ctx.signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(stop, remaining);
    let satisfied = false;
    try {
      await ctx.cluster.watch(kind.apiVersion, kind.kind, { ...sel, resourceVersion: list.resourceVersion }, (e) => {
        if (e.type === 'ERROR') return stop();
        if (e.type === 'BOOKMARK') return;
        if (e.type === 'DELETED') objects.delete(key(e.object));
        else objects.set(key(e.object), e.object);
        if (predicate([...objects.values()])) {
          satisfied = true;
          stop();
        }
      }, local.signal);
    } catch {
      // a dropped watch: fall through and relist
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', stop);
    }
    if (satisfied) return [...objects.values()];
    if (ctx.signal.aborted) throw new InterruptedError();
    if (Date.now() >= deadline) throw new WaitTimeoutError(what, timeoutMs, [...objects.values()]);
  }
}

/** Wait until `predicate(object or undefined)` holds for one named object. */
export async function waitForObject(ctx: Ctx, ref: ObjectRef, predicate: (obj: KubeObject | undefined) => boolean, timeoutMs: number, what: string): Promise<KubeObject | undefined> {
  const items = await waitForList(ctx, ref, { namespace: ref.namespace, fieldSelector: `metadata.name=${ref.name}` }, (list) => predicate(list.find((o) => o.metadata.name === ref.name)), timeoutMs, what);
  return items.find((o) => o.metadata.name === ref.name);
}
