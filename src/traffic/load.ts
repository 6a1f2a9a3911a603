// A fortio-like load generator in this process: `concurrency` workers, an optional total qps
// (uniform schedule), a request count or a duration; clock and sleep are injectable.
import type { ObservedResponse } from './response.js';

/** Clock used for pacing and duration (ms). */
export interface LoadClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Load to generate. */
export interface LoadOptions {
  concurrency: number;
  /** Requests per second in total; 0 = as fast as possible. */
  qps: number;
  requests?: number;
  durationMs?: number;
  /** Sends one request. */
  send: (signal: AbortSignal) => Promise<ObservedResponse>;
  clock?: LoadClock;
  signal?: AbortSignal;
}

/** What the load run produced. */
export interface LoadResult {
  responses: ObservedResponse[];
  elapsedMs: number;
  actualQps: number;
}

const realClock: LoadClock = { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** Runs the load: request i starts no earlier than i / qps seconds after the start. */
export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  const clock = options.clock ?? realClock;
  const signal = options.signal ?? new AbortController().signal;
  const start = clock.now();
  const end = options.durationMs !== undefined ? start + options.durationMs : Infinity;
  const limit = options.requests ?? Infinity;
  const gap = options.qps > 0 ? 1000 / options.qps : 0;
  const results: { i: number; r: ObservedResponse }[] = [];
  let next = 0;
  const worker = async () => {
    while (!signal.aborted) {
      const i = next;
      if (i >= limit || start + i * gap >= end || clock.now() >= end) return;
      next++;
      const due = start + i * gap;
      if (due > clock.now()) await clock.sleep(due - clock.now());
      results.push({ i, r: await options.send(signal) });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  const elapsedMs = clock.now() - start;
  const responses = results.sort((a, b) => a.i - b.i).map((x) => x.r);
  return { responses, elapsedMs, actualQps: elapsedMs > 0 ? (responses.length * 1000) / elapsedMs : 0 };
}
