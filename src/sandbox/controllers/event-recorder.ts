// core/v1 Events about objects, written through the Registry like a client-go event broadcaster would.
import type { Registry } from '../api/registry.js';
import type { Clock } from '../runtime/determinism.js';
import type { KubeObject } from '../types.js';
import type { EventRecorder } from './controller.js';
import { typeForKey } from './object-helpers.js';

/** Writes Events, bumping `count` on identical repeats instead of creating duplicates. */
export class KubeEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, { namespace: string; name: string }>();
  private seq = 0;

  constructor(
    private readonly registry: Registry,
    private readonly clock: Clock,
  ) {}

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component = 'istio-lab-sandbox'): void {
    try {
      this.write(obj, type, reason, message, component);
    } catch {
      // Events are best effort, as in client-go: a terminating namespace or a full cache drops them.
    }
  }

  private write(obj: KubeObject, type: string, reason: string, message: string, component: string): void {
    const rt = typeForKey(this.registry, '/events');
    const namespace = obj.metadata.namespace ?? 'default';
    const dedupe = [namespace, obj.kind, obj.metadata.name, obj.metadata.uid, type, reason, message, component].join('\u0000');
    const now = this.registry.now();
    const known = this.seen.get(dedupe);
    const existing = known && this.registry.find(rt, known.namespace, known.name);
    if (existing) {
      existing.count = (existing.count ?? 1) + 1;
      existing.lastTimestamp = now;
      this.registry.update(rt, known.namespace, known.name, existing, { fieldManager: component });
      return;
    }
    const name = `${obj.metadata.name}.${this.suffix()}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: '',
    };
    this.registry.create(rt, namespace, event, { fieldManager: component });
    this.seen.set(dedupe, { namespace, name });
    if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value!);
  }

  /** Hex of the clock in nanoseconds, like client-go's `%x` of UnixNano, kept unique per recorder. */
  private suffix(): string {
    const nanos = BigInt(this.clock.now().getTime()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return nanos.toString(16);
  }
}

/** The recorder every controller is handed (see cluster.ts). */
export function createEventRecorder(registry: Registry, clock: Clock): EventRecorder {
  return new KubeEventRecorder(registry, clock);
}
