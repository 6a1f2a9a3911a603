// Base of every store-driven reconciler: store events map to queue keys, each key is reconciled once per turn.
import type { StoreEvent } from '../store/object-store.js';
import type { Controller, ControllerContext } from './controller.js';
import { WorkQueue } from './work-queue.js';

/** A controller that subscribes to the store and reconciles coalesced keys through the Registry. */
export abstract class QueueController implements Controller {
  abstract readonly name: string;
  protected ctx!: ControllerContext;
  protected queue!: WorkQueue;
  private unsubscribe: (() => void) | undefined;

  /** Called synchronously for every committed store change: the queue keys it affects (never write here). */
  protected abstract keysFor(event: StoreEvent): Iterable<string>;
  /** Called once at start: queue keys for the state already in the store. */
  protected abstract initialKeys(): Iterable<string>;
  /** Called asynchronously for each queued key; throw to retry with backoff. */
  protected abstract reconcile(key: string): void;
  /** Called at start before subscribing (register hooks, bootstrap objects). */
  protected setup(): void {}

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.queue = new WorkQueue(
      (key) => this.reconcile(key),
      (key, err) => {
        if (process.env.ISTIO_LAB_DEBUG) process.stderr.write(`[${this.name}] ${key}: ${(err as Error)?.message ?? err}\n`);
      },
    );
    this.setup();
    this.unsubscribe = ctx.registry.store.subscribe((event) => {
      for (const key of this.keysFor(event)) this.queue.add(key);
    });
    for (const key of this.initialKeys()) this.queue.add(key);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.queue?.stop();
  }
}
