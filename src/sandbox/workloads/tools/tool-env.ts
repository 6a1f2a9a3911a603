// What a program can learn about where it runs beyond ToolContext's fields: its image, the clock it
// should read (ctx.clock once the kubelet passes one, else the wall clock), and Service addresses.
import { systemClock, type Clock } from '../../runtime/determinism.js';
import type { ToolContext } from './tool.js';

/** The container's image as the pod spec names it ('' when the container is not found). */
export function containerImage(ctx: ToolContext): string {
  const all = [...(ctx.pod.spec?.containers ?? []), ...(ctx.pod.spec?.initContainers ?? [])];
  return String(all.find((c: any) => c.name === ctx.container)?.image ?? '');
}

/** The clock a tool reads wall time from: an injected `clock` on the context when present. */
export function toolClock(ctx: ToolContext): Clock {
  return (ctx as ToolContext & { clock?: Clock }).clock ?? systemClock;
}

/** Elapsed-time source for durations (monotonic; not wall time). */
export function monotonicMs(): number {
  return performance.now();
}

/**
 * The address a client would connect to for `host`: the host itself when it is an IP, else the
 * Service's ClusterIP from the `<NAME>_SERVICE_HOST` link variable (same namespace), else the name.
 */
export function resolvedAddress(ctx: ToolContext, host: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':')) return host;
  const ns = ctx.pod.metadata.namespace ?? 'default';
  const parts = host.toLowerCase().replace(/\.$/, '').split('.');
  const sameNamespace = parts.length === 1 || parts[1] === ns;
  if (host === 'localhost') return '127.0.0.1';
  if (!sameNamespace) return host;
  const link = ctx.env[`${parts[0].toUpperCase().replace(/-/g, '_')}_SERVICE_HOST`];
  return link ?? host;
}

/** Resolves after `ms`, or early (false) when `signal` aborts; true when the time passed. */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(true), Math.min(ms, 2 ** 31 - 1));
    const onAbort = () => finish(false);
    signal.addEventListener('abort', onAbort, { once: true });
    function finish(passed: boolean): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(passed);
    }
  });
}
