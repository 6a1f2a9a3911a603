// A watch that survives dropped streams: it reopens from the last resourceVersion it saw, and
// hands 410 Gone back to the caller (who relists) instead of guessing what was missed.
import type { Cluster, ClusterWatchEvent, ListOptions } from './types.js';
import { backoffDelay, classifyFailure, type Failure, type RetryPolicy } from './retry-policy.js';

/** What to watch; the arguments of Cluster.watch. */
export interface WatchCall {
  /** Group/version of the kind. */
  apiVersion: string;
  /** Kind watched. */
  kind: string;
  /** Selection, and the resourceVersion to start from. */
  opts: ListOptions & { resourceVersion?: string };
  /** Called for each event, in order, once. */
  onEvent: (e: ClusterWatchEvent) => void;
  /** The caller's stop. */
  signal: AbortSignal;
}

/**
 * Watch through `inner`, reopening a dropped stream (an error, or an end the caller did not ask
 * for) from the last resourceVersion seen in an event or bookmark: no event is replayed or lost.
 * Resolves when `signal` aborts, on 410 Gone (the ERROR event is not forwarded; the caller must
 * relist), or when there is no resourceVersion to resume from; rejects with a non-retryable
 * error unchanged, or with the last error once `policy` allows no more reopenings in a row.
 */
export async function watchResuming(inner: Cluster, policy: RetryPolicy, onResume: () => void, call: WatchCall): Promise<void> {
  const { signal } = call;
  let rv = call.opts.resourceVersion;
  let drops = 0;
  let streakStarted = policy.now();
  while (!signal.aborted) {
    const local = new AbortController();
    const stop = () => local.abort();
    signal.addEventListener('abort', stop, { once: true });
    let gone = false;
    let progressed = false;
    let error: unknown;
    try {
      await inner.watch(call.apiVersion, call.kind, { ...call.opts, resourceVersion: rv }, (e) => {
        if (gone) return;
        if (e.type === 'ERROR' && isGone(e.object)) {
          gone = true;
          local.abort();
          return;
        }
        const next = e.type === 'ERROR' ? undefined : e.object?.metadata?.resourceVersion;
        if (next) {
          rv = next;
          progressed = true;
        }
        call.onEvent(e);
      }, local.signal);
    } catch (err) {
      error = err;
    } finally {
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted || gone) return;
    const failure: Failure = error === undefined ? { retryable: true, mayHaveLanded: false } : classifyFailure(error);
    if (failure.status === 410) return;
    if (!failure.retryable) throw error;
    if (progressed) {
      drops = 0;
      streakStarted = policy.now();
    }
    drops++;
    const delay = backoffDelay(drops, failure, policy);
    const exhausted = !rv || drops >= policy.maxAttempts || policy.signal?.aborted || policy.now() - streakStarted + delay > policy.budgetMs;
    if (exhausted) {
      if (error !== undefined) throw error;
      return;
    }
    onResume();
    await policy.sleep(delay, policy.signal ? AbortSignal.any([signal, policy.signal]) : signal);
  }
}

function isGone(status: unknown): boolean {
  const s = status as { code?: number; reason?: string } | undefined;
  return s?.code === 410 || s?.reason === 'Expired' || s?.reason === 'Gone';
}
