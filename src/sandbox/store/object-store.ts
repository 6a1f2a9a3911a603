// In-memory object store: objects by group-resource, one global resourceVersion counter,
// a bounded event history for watch resumption, and an optional journal for persistence.
import type { KubeObject, WatchEvent } from '../types.js';

/** A change recorded in the store's history. */
export interface StoreEvent extends WatchEvent {
  /** Storage key of the group-resource (`apps/deployments`). */
  key: string;
  rv: number;
  /** The object before a MODIFIED or DELETED event (lets watches with selectors synthesise ADDED/DELETED). */
  previous?: KubeObject;
}

/** Receives every committed change, in order. */
export type StoreListener = (event: StoreEvent) => void;

/** Writes committed changes somewhere durable before the change is acknowledged. */
export interface StoreJournal {
  /** Called synchronously for every change, before listeners run. */
  record(event: StoreEvent): void;
}

/** Options for {@link ObjectStore}. */
export interface ObjectStoreOptions {
  /** How many events the store keeps for watches that resume from a resourceVersion. */
  historyLimit?: number;
  journal?: StoreJournal;
  /** Resource version to continue from (after loading persisted state). */
  initialResourceVersion?: number;
}

/** `namespace/name` or `name` for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The sandbox's storage: an etcd stand-in with the same resourceVersion and watch semantics. */
export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;
  private rv: number;
  /** The oldest resourceVersion a watch can still resume from. */
  private compactedRv: number;

  constructor(private readonly options: ObjectStoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 20000;
    this.rv = options.initialResourceVersion ?? 1;
    this.compactedRv = this.rv;
  }

  /** The newest resourceVersion the store has committed. */
  get resourceVersion(): number {
    return this.rv;
  }

  /** One object, cloned, or undefined. */
  get(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.buckets.get(key)?.get(objectKey(namespace, name));
    return obj ? structuredClone(obj) : undefined;
  }

  /** All objects of a group-resource, optionally in one namespace, sorted by namespace/name; cloned. */
  list(key: string, namespace?: string): KubeObject[] {
    const bucket = this.buckets.get(key);
    if (!bucket) return [];
    const out: KubeObject[] = [];
    for (const [k, obj] of bucket) {
      if (namespace && obj.metadata.namespace !== namespace) continue;
      out.push(structuredClone(obj));
      void k;
    }
    return out.sort((a, b) => compareKeys(a, b));
  }

  /** Number of objects per group-resource. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, bucket] of this.buckets) if (bucket.size) out[key] = bucket.size;
    return out;
  }

  /** Insert or replace an object; assigns the next resourceVersion and records the event. */
  put(key: string, obj: KubeObject): KubeObject {
    const bucket = this.bucket(key);
    const id = objectKey(obj.metadata.namespace, obj.metadata.name!);
    const previous = bucket.get(id);
    const type = previous ? 'MODIFIED' : 'ADDED';
    const rv = ++this.rv;
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(rv);
    this.commit({ type, object: stored, key, rv, previous }, () => bucket.set(id, stored));
    return structuredClone(stored);
  }

  /** Remove an object; the DELETED event carries the object with a new resourceVersion. */
  remove(key: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.buckets.get(key);
    const id = objectKey(namespace, name);
    const current = bucket?.get(id);
    if (!bucket || !current) return undefined;
    const rv = ++this.rv;
    const gone = structuredClone(current);
    gone.metadata.resourceVersion = String(rv);
    this.commit({ type: 'DELETED', object: gone, key, rv, previous: current }, () => bucket.delete(id));
    return structuredClone(gone);
  }

  /** Events after `rv` (for a watch resuming there), or 'expired' if history no longer reaches back. */
  eventsSince(rv: number): StoreEvent[] | 'expired' {
    if (rv < this.compactedRv) return 'expired';
    const first = this.history.findIndex((e) => e.rv > rv);
    return first < 0 ? [] : this.history.slice(first).map((e) => ({ ...e, object: structuredClone(e.object) }));
  }

  /** Subscribe to every future change; returns the unsubscribe function. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Load objects without events (used when restoring persisted state). */
  restore(key: string, obj: KubeObject): void {
    this.bucket(key).set(objectKey(obj.metadata.namespace, obj.metadata.name!), obj);
    const rv = Number(obj.metadata.resourceVersion ?? 0);
    if (rv > this.rv) this.rv = rv;
    this.compactedRv = this.rv;
  }

  /** Every object, for snapshots. */
  *entries(): Generator<[string, KubeObject]> {
    for (const [key, bucket] of this.buckets) for (const obj of bucket.values()) yield [key, obj];
  }

  private bucket(key: string): Map<string, KubeObject> {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new Map()));
    return bucket;
  }

  private commit(event: StoreEvent, apply: () => void): void {
    this.options.journal?.record(event);
    apply();
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRv = dropped[dropped.length - 1].rv;
    }
    for (const listener of this.listeners) listener(event);
  }
}

function compareKeys(a: KubeObject, b: KubeObject): number {
  const ka = objectKey(a.metadata.namespace, a.metadata.name!);
  const kb = objectKey(b.metadata.namespace, b.metadata.name!);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
