// Kubelet (and scheduler) emulation: binds pending pods to the single node, starts their containers
// after podStartDelayMs, marks them ready after podReadyDelayMs, and removes deleted pods once their
// grace period (capped at maxGraceMs) is over. Status is written through the registry as `kubelet`.
import type { DeleteOptions } from '../api/registry.js';
import type { ResourceType } from '../api/resource-types.js';
import type { Controller, ControllerContext } from '../controllers/controller.js';
import type { KubeObject } from '../types.js';
import type { WorkloadModel } from '../workloads/index.js';
import type { ContainerStartDeps } from './container-start.js';
import { IpAllocator } from './ip-allocator.js';
import { NODE_NAME, registerNode } from './node.js';
import { bindPod } from './pod-binder.js';
import { restoreSandbox } from './pod-restore.js';
import { PodSandbox } from './pod-sandbox.js';
import { PodStarter, type StartupHost } from './pod-startup.js';
import { buildPodStatus } from './pod-status.js';
import { createContainerCluster } from './container-cluster.js';
import type { PodNetwork } from '../mesh/types.js';

/** Options of the kubelet beyond the controller context. */
export interface KubeletOptions {
  /** Workload models by image repository (default: the registered `workloadModels`). */
  models?: Record<string, WorkloadModel>;
  /** Lines kept per container log. */
  logCapacity?: number;
  /** Bind unscheduled pods to the node (default true); turn off when a scheduler controller runs. */
  schedulePods?: boolean;
  /** How pods send traffic (the mesh); without it, every request fails as if the network were down. */
  network?: PodNetwork;
}

/** A network on which nothing answers (used when no mesh is wired, e.g. in kubelet-only tests). */
export const unreachableNetwork: PodNetwork = {
  fetch: async (_pod, url) => ({ failure: 'connect-refused', message: `Failed to connect to ${url}: the sandbox has no pod network wired` }),
};

/** `namespace/name` of a pod. */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** The kubelet of node `istio-lab-control-plane`, and the table of pod sandboxes it runs. */
export class KubeletController implements Controller, StartupHost {
  readonly name = 'kubelet';
  /** Running sandboxes by `namespace/name`. */
  readonly sandboxes = new Map<string, PodSandbox>();
  ctx!: ControllerContext;
  private readonly starter = new PodStarter(this);
  private podType!: ResourceType;
  private unsubscribe: (() => void) | undefined;
  private readonly ips = new IpAllocator();
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private readonly queued = new Set<string>();
  private readonly removals = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private stopped = false;

  constructor(private readonly options: KubeletOptions = {}) {
    this.options = { schedulePods: true, ...options };
  }

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.podType = ctx.registry.types.byResource('', 'v1', 'pods')!;
    ctx.registry.registerHooks('/pods', { deleteGracefully: (pod, opts) => this.deleteGracefully(pod, opts) });
    this.unsubscribe = ctx.registry.store.subscribe((event) => {
      if (event.key !== '/pods') return;
      if (event.type === 'DELETED') setImmediate(() => this.teardown(event.object));
      else this.enqueue(podKey(event.object));
    });
    registerNode(ctx.registry);
    for (const pod of ctx.registry.list(this.podType)) this.enqueue(podKey(pod));
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const set of this.timers.values()) for (const t of set) clearTimeout(t);
    for (const r of this.removals.values()) clearTimeout(r.timer);
    this.timers.clear();
    this.removals.clear();
    for (const sandbox of this.sandboxes.values()) sandbox.stop();
  }

  /** The sandbox running `pod` (same uid), if any. */
  sandboxOf(pod: KubeObject): PodSandbox | undefined {
    const sandbox = this.sandboxes.get(podKey(pod));
    return sandbox?.runs(pod) ? sandbox : undefined;
  }

  /** Registry hook: graceful deletion for scheduled, non-terminal pods with a positive grace period. */
  private deleteGracefully(pod: KubeObject, opts: DeleteOptions): boolean {
    if (this.stopped || pod.spec?.nodeName !== NODE_NAME) return false;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
    const requested = opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds >= 0 ? opts.gracePeriodSeconds : undefined;
    const grace = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    if (grace <= 0) return false;
    const uid = pod.metadata.uid!;
    // The registry stores the object it passed in: this is how metadata.deletionGracePeriodSeconds gets its value.
    if (!pod.metadata.deletionTimestamp) pod.metadata.deletionGracePeriodSeconds = grace;
    // A second delete with a shorter grace period brings removal forward (the registry writes nothing then).
    const pending = this.removals.get(uid);
    if (pending && Date.now() + this.graceMs(grace) < pending.due) this.scheduleRemoval(pod, grace);
    return true;
  }

  private enqueue(key: string): void {
    if (this.queued.has(key) || this.stopped) return;
    this.queued.add(key);
    setImmediate(() => {
      this.queued.delete(key);
      if (this.stopped) return;
      const [ns, name] = key.split('/');
      const pod = this.ctx.registry.find(this.podType, ns, name);
      if (pod) this.reconcile(pod);
    });
  }

  private reconcile(pod: KubeObject): void {
    const stale = this.sandboxes.get(podKey(pod));
    if (stale && !stale.runs(pod)) this.teardown({ ...pod, metadata: { ...pod.metadata, uid: stale.pod.uid } });
    if (pod.metadata.deletionTimestamp) return this.terminate(pod);
    if (!pod.spec?.nodeName) return void (this.options.schedulePods && bindPod(this.ctx.registry, this.podType, this.ctx.events, pod));
    if (pod.spec.nodeName === NODE_NAME && !this.sandboxOf(pod)) this.admit(pod);
  }

  /** Creates the sandbox, reports ContainerCreating, and starts containers after podStartDelayMs. */
  private admit(pod: KubeObject): void {
    const { clock, config } = this.ctx;
    const recorded: string | undefined = pod.status?.podIP;
    const ip = recorded && this.ips.reserve(recorded) ? recorded : this.ips.allocate();
    const sandbox = new PodSandbox({ uid: pod.metadata.uid!, namespace: pod.metadata.namespace!, name: pod.metadata.name! }, ip, this.hex(), { admitted: this.ctx.registry.now() });
    for (const spec of pod.spec?.initContainers ?? []) sandbox.addContainer(spec, true, `containerd://${this.hex()}`, clock, this.options.logCapacity);
    for (const spec of pod.spec?.containers ?? []) sandbox.addContainer(spec, false, `containerd://${this.hex()}`, clock, this.options.logCapacity);
    this.sandboxes.set(podKey(pod), sandbox);
    if (restoreSandbox(pod, sandbox, this.startDeps(pod), (c, exit) => this.starter.watchExit(sandbox, c, exit))) {
      if (!sandbox.times.ready && !sandbox.times.completed) this.after(sandbox, config.podReadyDelayMs, () => this.starter.markReady(sandbox));
      return this.writeStatus(sandbox);
    }
    if (!(pod.spec?.initContainers ?? []).length) sandbox.times.initialized = sandbox.times.admitted;
    this.writeStatus(sandbox);
    this.after(sandbox, config.podStartDelayMs, () => void this.starter.start(sandbox));
  }

  startDeps(pod: KubeObject): ContainerStartDeps {
    const { registry, clock, random, events } = this.ctx;
    return {
      clock,
      random,
      models: this.options.models,
      network: this.options.network ?? unreachableNetwork,
      lookup: (resource, ns, name) => registry.find(registry.types.byResource('', 'v1', resource)!, ns, name),
      cluster: (running) => createContainerCluster(registry, events, running),
      onEmulatedImage: (spec) =>
        events.record(pod, 'Warning', 'EmulatedImage', `image ${spec.image} is not modelled by the sandbox; running a generic echo server in its place`, 'kubelet'),
    };
  }

  /** Deletion requested: stop the lifecycle, announce the stop, remove after the (capped) grace period. */
  private terminate(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    if (this.removals.has(uid)) return;
    const sandbox = this.sandboxOf(pod);
    // Nothing (left) to stop: the pod goes as soon as its finalizers are gone.
    if (sandbox?.isStopped || (!sandbox && pod.spec?.nodeName !== NODE_NAME)) {
      if (!(pod.metadata.finalizers ?? []).length) this.finalize(pod);
      return;
    }
    this.clearTimers(uid);
    for (const c of sandbox?.containers.values() ?? []) {
      if (c.state === 'running') this.ctx.events.record(pod, 'Normal', 'Killing', `Stopping container ${c.spec.name}`, 'kubelet');
    }
    this.scheduleRemoval(pod, pod.metadata.deletionGracePeriodSeconds ?? 30);
  }

  private scheduleRemoval(pod: KubeObject, graceSeconds: number): void {
    const uid = pod.metadata.uid!;
    const ms = this.graceMs(graceSeconds);
    clearTimeout(this.removals.get(uid)?.timer);
    const timer = setTimeout(() => {
      this.removals.delete(uid);
      this.sandboxOf(pod)?.stop();
      const current = this.ctx.registry.find(this.podType, pod.metadata.namespace, pod.metadata.name!);
      if (current?.metadata.uid === uid && !(current.metadata.finalizers ?? []).length) this.finalize(current);
    }, ms);
    this.removals.set(uid, { timer, due: Date.now() + ms });
  }

  private finalize(pod: KubeObject): void {
    this.ctx.registry.finalize(this.podType, pod.metadata.namespace, pod.metadata.name!);
  }

  /** The pod is gone from the store: stop what runs and free its address. */
  private teardown(pod: KubeObject): void {
    const uid = pod.metadata.uid!;
    const sandbox = this.sandboxes.get(podKey(pod));
    if (sandbox?.pod.uid === uid) {
      sandbox.stop();
      this.ips.release(sandbox.ip);
      this.sandboxes.delete(podKey(pod));
    }
    this.clearTimers(uid);
    clearTimeout(this.removals.get(uid)?.timer);
    this.removals.delete(uid);
  }

  writeStatus(sandbox: PodSandbox): void {
    const pod = this.currentPod(sandbox);
    if (!pod || sandbox.isStopped) return;
    try {
      this.ctx.registry.update(this.podType, pod.metadata.namespace, pod.metadata.name!, { ...pod, status: buildPodStatus(pod, sandbox) }, { subresource: 'status', fieldManager: 'kubelet' });
    } catch {
      // Deleted meanwhile.
    }
  }

  currentPod(sandbox: PodSandbox): KubeObject | undefined {
    const pod = this.ctx.registry.find(this.podType, sandbox.pod.namespace, sandbox.pod.name);
    return pod?.metadata.uid === sandbox.pod.uid ? pod : undefined;
  }

  after(sandbox: PodSandbox, ms: number, fn: () => void): void {
    const uid = sandbox.pod.uid;
    const set = this.timers.get(uid) ?? new Set();
    this.timers.set(uid, set);
    const timer = setTimeout(() => {
      set.delete(timer);
      if (!this.stopped && !sandbox.isStopped) fn();
    }, ms);
    set.add(timer);
  }

  private clearTimers(uid: string): void {
    for (const t of this.timers.get(uid) ?? []) clearTimeout(t);
    this.timers.delete(uid);
  }

  private graceMs(seconds: number): number {
    return Math.min(seconds * 1000, this.ctx.config.maxGraceMs);
  }

  private hex(): string {
    return Array.from({ length: 64 }, () => Math.floor(this.ctx.random() * 16).toString(16)).join('');
  }
}
