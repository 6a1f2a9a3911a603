// Test harness: a real Registry over an ObjectStore with every controller started, plus a tiny
// stand-in kubelet that gives bound pods an IP and readiness and finishes graceful deletions.
import { ObjectStore } from '../../../src/sandbox/store/object-store.js';
import { Registry } from '../../../src/sandbox/api/registry.js';
import { createSeededRandom, systemClock } from '../../../src/sandbox/runtime/determinism.js';
import { defaultSandboxConfig, type Controller, type ControllerContext } from '../../../src/sandbox/controllers/controller.js';
import { createControllers, createEventRecorder } from '../../../src/sandbox/controllers/index.js';
import { typeForKey } from '../../../src/sandbox/controllers/object-helpers.js';
import type { KubeObject } from '../../../src/sandbox/types.js';

/** Options for {@link startHarness}. */
export interface HarnessOptions {
  store?: ObjectStore;
  /** Mark bound pods Running and Ready automatically (default true). */
  autoReady?: boolean;
  /** Remove terminating pods on the next turn (default true). */
  finishDeletes?: boolean;
}

/** A running in-process control plane. */
export interface Harness {
  store: ObjectStore;
  registry: Registry;
  ctx: ControllerContext;
  /** Create an object from a manifest (namespace from metadata). */
  apply(obj: KubeObject): KubeObject;
  get(key: string, ns: string | undefined, name: string): KubeObject | undefined;
  list(key: string, ns?: string): KubeObject[];
  /** Write Running + podIP + Ready=`ready` through the status subresource, as a kubelet would. */
  setPodReady(pod: KubeObject, ready: boolean): void;
  stop(): void;
}

let ipCounter = 10;

/** Start the controllers over a fresh (or given) store. */
export function startHarness(opts: HarnessOptions = {}): Harness {
  const store = opts.store ?? new ObjectStore();
  const random = createSeededRandom(7);
  const registry = new Registry(store, systemClock, random);
  const ctx: ControllerContext = { registry, clock: systemClock, random, config: { ...defaultSandboxConfig, podStartDelayMs: 5, podReadyDelayMs: 5, maxGraceMs: 20 }, events: createEventRecorder(registry, systemClock) };
  const controllers: Controller[] = createControllers();
  for (const c of controllers) c.start(ctx);
  const podRt = typeForKey(registry, '/pods');
  const setPodReady = (pod: KubeObject, ready: boolean) => {
    const current = registry.find(podRt, pod.metadata.namespace, pod.metadata.name!);
    if (!current) return;
    const now = registry.now();
    const podIP = current.status?.podIP ?? `10.244.0.${ipCounter++ % 250}`;
    const cond = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now });
    const status = { ...current.status, phase: 'Running', podIP, podIPs: [{ ip: podIP }], hostIP: '127.0.0.1', conditions: [cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)] };
    registry.update(podRt, current.metadata.namespace, current.metadata.name!, { ...current, status }, { subresource: 'status', fieldManager: 'kubelet' });
  };
  const unsubscribe = store.subscribe((event) => {
    if (event.key !== '/pods' || event.type === 'DELETED') return;
    const pod = event.object;
    if (pod.metadata.deletionTimestamp && opts.finishDeletes !== false) {
      setImmediate(() => {
        const current = store.get('/pods', pod.metadata.namespace, pod.metadata.name!);
        if (current && current.metadata.uid === pod.metadata.uid && !(current.metadata.finalizers ?? []).length) registry.finalize(podRt, pod.metadata.namespace, pod.metadata.name!);
      });
    } else if (pod.spec?.nodeName && !pod.status?.podIP && !pod.metadata.deletionTimestamp && opts.autoReady !== false) {
      setImmediate(() => setPodReady(pod, true));
    }
  });
  return {
    store,
    registry,
    ctx,
    apply(obj) {
      const key = registry.types.keyOf(registry.resolveKind(obj.apiVersion, obj.kind));
      return registry.create(typeForKey(registry, key), obj.metadata.namespace, obj);
    },
    get: (key, ns, name) => registry.find(typeForKey(registry, key), ns, name),
    list: (key, ns) => registry.list(typeForKey(registry, key), ns),
    setPodReady,
    stop() {
      unsubscribe();
      for (const c of [...controllers].reverse()) c.stop();
    },
  };
}

/** Poll `fn` until it returns a truthy value (or throw after `timeoutMs`). */
export async function waitFor<T>(fn: () => T | undefined | false | null, what: string, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A Deployment manifest with one container. */
export function deployment(name: string, ns: string, replicas: number, extra: { labels?: Record<string, string>; image?: string } = {}): KubeObject {
  const labels = extra.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: extra.image ?? 'docker.io/kennethreitz/httpbin:v1', ports: [{ name: 'http', containerPort: 80 }] }] } },
    },
  };
}

/** A Namespace manifest. */
export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}
