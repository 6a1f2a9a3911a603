// When and how long to retry an API call: error classification (what failed, and whether the
// request may have been applied), exponential backoff with full jitter, Retry-After, budgets.
import { KubeApiError, KubeTransportError } from './rest.js';

/** How the retrying cluster retries. */
export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Backoff before retry n is random in [0, min(maxDelayMs, baseDelayMs·2^(n-1))) (full jitter). */
  baseDelayMs: number;
  /** Ceiling of the backoff before any one retry. */
  maxDelayMs: number;
  /** Longest Retry-After honoured; longer ones are capped to this. */
  maxRetryAfterMs: number;
  /** No retry starts (or waits) past this long after a call's first attempt. */
  budgetMs: number;
  /** Uniform [0, 1) source for the jitter (seeded in tests). */
  random: () => number;
  /** Once aborted (Ctrl-C), no call is retried again and pending backoffs end at once. */
  signal?: AbortSignal;
  /** Waits `ms` unless `signal` aborts first (injectable for tests). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock the budget is measured on, ms (injectable for tests). */
  now: () => number;
  /** Told about every retry before its backoff (debug logging). */
  onRetry?: (info: { call: string; attempt: number; delayMs: number; error: unknown }) => void;
}

/** Defaults: 6 attempts within 30 s, 100 ms doubling to 2 s, Retry-After up to 5 s. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 2000,
  maxRetryAfterMs: 5000,
  budgetMs: 30_000,
  random: Math.random,
  sleep: abortableSleep,
  now: Date.now,
};

/** What a failed attempt says about retrying. */
export interface Failure {
  /** A transient failure (5xx, 429, reset/refused/timeout) worth another attempt. */
  retryable: boolean;
  /** The request may have been applied before it failed (resets, timeouts, 5xx other than 503). */
  mayHaveLanded: boolean;
  /** HTTP status, when the server answered. */
  status?: number;
  /** Server's Retry-After, ms. */
  retryAfterMs?: number;
}

const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);

/** Classify an error thrown by a Cluster call (REST, watch, or an exec/port-forward connection). */
export function classifyFailure(err: unknown): Failure {
  const e = err as { status?: number; statusCode?: number; code?: string; message?: string; cause?: unknown; error?: unknown; retryAfterSeconds?: number; body?: any };
  if (err instanceof KubeApiError) return byStatus(err.status, err.retryAfterSeconds ?? err.body?.details?.retryAfterSeconds);
  if (err instanceof KubeTransportError) return byCode(err.code, err.message);
  if (typeof e?.statusCode === 'number') return byStatus(e.statusCode);
  // An exec/attach WebSocket that failed to open: ws reports "Unexpected server response: 503".
  const wsStatus = /Unexpected server response: (\d{3})/.exec(String(e?.message ?? ''));
  if (wsStatus) return byStatus(Number(wsStatus[1]));
  if (typeof e?.code === 'string') return byCode(e.code, e.message);
  if (e?.error) return classifyFailure(e.error);
  if (e?.cause) return classifyFailure(e.cause);
  if (/socket hang up|premature close/i.test(String(e?.message ?? ''))) return { retryable: true, mayHaveLanded: true };
  return { retryable: false, mayHaveLanded: false };
}

function byStatus(status: number, retryAfterSeconds?: number): Failure {
  const retryAfterMs = typeof retryAfterSeconds === 'number' && retryAfterSeconds >= 0 ? retryAfterSeconds * 1000 : undefined;
  if (status === 429) return { retryable: true, mayHaveLanded: false, status, retryAfterMs };
  if (status >= 500) return { retryable: true, mayHaveLanded: status !== 503, status, retryAfterMs };
  return { retryable: false, mayHaveLanded: false, status };
}

function byCode(code: string | undefined, message: string | undefined): Failure {
  if (code && transientCodes.has(code)) return { retryable: true, mayHaveLanded: code !== 'ECONNREFUSED' };
  if (/socket hang up|premature close/i.test(message ?? '')) return { retryable: true, mayHaveLanded: true };
  return { retryable: false, mayHaveLanded: false };
}

/** Delay before retry `retry` (1-based): Retry-After when given (capped), else full-jitter backoff. */
export function backoffDelay(retry: number, failure: Failure, policy: RetryPolicy): number {
  if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/** Sleep that ends early (resolving) when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
