// Timers through an injected `setTimer` (§3 delays, §4 timeouts and back-off; tests use short real delays), and abortable waits.

/** Schedule `fn` after `ms`; returns a cancel function. */
export type SetTimer = (ms: number, fn: () => void) => () => void;

/** setTimeout-backed SetTimer. */
export const defaultSetTimer: SetTimer = (ms, fn) => {
  const t = setTimeout(fn, Math.max(0, ms));
  return () => clearTimeout(t);
};

/** Wait `ms`; resolves true when the time elapsed, false when `signal` aborted first. */
export function sleep(setTimer: SetTimer, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      cancel();
      resolve(false);
    };
    const cancel = setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A promise that resolves when `signal` aborts (never, without a signal), plus a disposer. */
export function whenAborted(signal: AbortSignal | undefined): { promise: Promise<'aborted'>; dispose(): void } {
  if (!signal) return { promise: new Promise(() => {}), dispose() {} };
  if (signal.aborted) return { promise: Promise.resolve('aborted'), dispose() {} };
  let onAbort: () => void = () => {};
  const promise = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
