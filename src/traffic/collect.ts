// Sends batches in parallel but hands responses to the caller in the order the requests were
// issued, so a sequential test sees an unbiased sample even when slow responses arrive late.
import type { ObservedResponse, SendBatch } from './response.js';

/** How to collect. */
export interface CollectOptions {
  /** Most responses to collect. */
  max: number;
  /** Requests per batch (one exec, or 1 for HTTP). */
  batchSize: number;
  /** Batches in flight at once. */
  parallel: number;
  sendBatch: SendBatch;
  /** Called for each response in issue order; return true to stop. */
  onResponse: (response: ObservedResponse, index: number) => boolean;
  signal?: AbortSignal;
}

/** Collects responses in issue order until `onResponse` stops it or `max` is reached; returns them. */
export async function collectInOrder(options: CollectOptions): Promise<ObservedResponse[]> {
  const { max, batchSize, parallel, sendBatch, onResponse } = options;
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const inFlight: Promise<ObservedResponse[]>[] = [];
  const responses: ObservedResponse[] = [];
  let launched = 0;
  const launch = () => {
    while (inFlight.length < parallel && launched < max && !abort.signal.aborted) {
      const count = Math.min(batchSize, max - launched);
      launched += count;
      inFlight.push(sendBatch(count, abort.signal));
    }
  };
  try {
    launch();
    let stopped = false;
    while (inFlight.length && !stopped) {
      const batch = await inFlight.shift()!;
      for (const r of batch) {
        responses.push(r);
        if (onResponse(r, responses.length - 1) || responses.length >= max) {
          stopped = true;
          break;
        }
      }
      if (!stopped) launch();
    }
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    return responses;
  } finally {
    abort.abort();
    for (const p of inFlight) p.catch(() => undefined);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
