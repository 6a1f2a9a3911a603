// Starting a pod's containers the kubelet's way: init containers one at a time to completion, then
// every app container, with Pulled / Created / Started events; then readiness, and exits of job models.
import type { ControllerContext } from '../controllers/controller.js';
import type { KubeObject } from '../types.js';
import { startContainer, type ContainerStartDeps } from './container-start.js';
import type { PodSandbox, RuntimeContainer } from './pod-sandbox.js';
import { HOST_IP } from './pod-status.js';

/** What the starter needs from the kubelet. */
export interface StartupHost {
  readonly ctx: ControllerContext;
  /** The pod as stored now, if the sandbox still runs it. */
  currentPod(sandbox: PodSandbox): KubeObject | undefined;
  startDeps(pod: KubeObject): ContainerStartDeps;
  writeStatus(sandbox: PodSandbox): void;
  /** Runs `fn` after `ms` unless the sandbox has stopped or the pod is being deleted. */
  after(sandbox: PodSandbox, ms: number, fn: () => void): void;
}

/** Runs the container lifecycle of admitted pods. */
export class PodStarter {
  constructor(private readonly host: StartupHost) {}

  /** Starts `sandbox`'s containers (init containers first), then schedules readiness. */
  async start(sandbox: PodSandbox): Promise<void> {
    const { host } = this;
    const pod = host.currentPod(sandbox);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const running = { ...pod, status: { ...(pod.status ?? {}), podIP: sandbox.ip, podIPs: [{ ip: sandbox.ip }], hostIP: HOST_IP } };
    sandbox.times.started = host.ctx.registry.now();
    const containers = [...sandbox.containers.values()];
    for (const c of containers.filter((x) => x.init)) {
      const exit = this.startOne(sandbox, running, c);
      host.writeStatus(sandbox);
      const code = exit ? await exit : 0;
      if (sandbox.isStopped) return;
      if (!exit) c.workload?.stop?.(); // a server image used as an init container "exits" at once
      this.exited(c, code);
      if (code !== 0) return host.writeStatus(sandbox);
    }
    sandbox.times.initialized ??= host.ctx.registry.now();
    for (const c of containers.filter((x) => !x.init)) this.watchExit(sandbox, c, this.startOne(sandbox, running, c));
    host.writeStatus(sandbox);
    host.after(sandbox, host.ctx.config.podReadyDelayMs, () => this.markReady(sandbox));
  }

  /** Marks the pod's running containers ready (no probes are modelled: started means ready). */
  markReady(sandbox: PodSandbox): void {
    if (sandbox.isStopped || sandbox.times.completed) return;
    sandbox.times.ready = this.host.ctx.registry.now();
    this.host.writeStatus(sandbox);
  }

  /** When a job container exits: record it; once every app container has exited the pod completes. */
  watchExit(sandbox: PodSandbox, c: RuntimeContainer, exit: Promise<number> | undefined): void {
    void exit?.then((code) => {
      if (sandbox.isStopped) return;
      this.exited(c, code);
      const apps = [...sandbox.containers.values()].filter((x) => !x.init);
      if (apps.every((x) => x.state === 'exited')) sandbox.times.completed = this.host.ctx.registry.now();
      this.host.writeStatus(sandbox);
    });
  }

  /** Starts one container with the kubelet's Pulled / Created / Started events. */
  private startOne(sandbox: PodSandbox, pod: KubeObject, c: RuntimeContainer): Promise<number> | undefined {
    const { events } = this.host.ctx;
    events.record(pod, 'Normal', 'Pulled', `Container image "${c.spec.image}" already present on machine`, 'kubelet');
    events.record(pod, 'Normal', 'Created', `Created container ${c.spec.name}`, 'kubelet');
    const exit = startContainer(sandbox, pod, c, this.host.startDeps(pod));
    events.record(pod, 'Normal', 'Started', `Started container ${c.spec.name}`, 'kubelet');
    return exit;
  }

  private exited(c: RuntimeContainer, code: number): void {
    c.state = 'exited';
    c.exitCode = code;
    c.finishedAt = this.host.ctx.registry.now();
    c.log.end();
  }
}
