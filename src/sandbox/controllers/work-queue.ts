// A coalescing work queue: a key queued many times is reconciled once per turn; failures retry with backoff.
import { performance } from 'node:perf_hooks';

/** Reconciles one queued key; throwing schedules a retry with exponential backoff. */
export type WorkHandler = (key: string) => void;

/** Keys waiting to be reconciled, deduplicated and drained on the next macrotask. */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly delayed = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(
    private readonly handler: WorkHandler,
    private readonly onError: (key: string, err: unknown) => void = () => {},
  ) {}

  /** Queue a key for the next turn (no-op if already queued). */
  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.immediate ??= setImmediate(() => this.drain());
  }

  /** Queue a key after `ms`; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = performance.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.delayed.set(key, { at, timer });
  }

  /** Drop everything and refuse new work. */
  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.pending.clear();
  }

  private drain(): void {
    this.immediate = undefined;
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) {
      if (this.stopped) return;
      try {
        this.handler(key);
        this.failures.delete(key);
      } catch (err) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.onError(key, err);
        this.addAfter(key, Math.min(5 * 2 ** n, 2000));
      }
    }
  }
}
