// The sandbox's pod runtime: the kubelet emulation (scheduling, container lifecycle, graceful deletion)
// and the PodRuntime the API server calls for logs, exec and port connections. What runs inside each
// container comes from the workload models in ../workloads.
import type { RequestListener } from 'node:http';
import type { Duplex, Writable } from 'node:stream';
import type { Controller, ControllerContext } from '../controllers/controller.js';
import type { ExecHandler, KubeObject } from '../types.js';
import { writeContainerLog } from './container-log.js';
import { createExecHandler } from './exec.js';
import { KubeletController, unreachableNetwork, type KubeletOptions } from './kubelet.js';
import type { ConnectionSource } from './pod-sandbox.js';
import type { MeshRequest, MeshResult } from '../mesh/types.js';
import type { LogOptions, PodRuntime } from './pod-runtime.js';

export { NODE_NAME } from './node.js';
export { HOST_IP } from './pod-status.js';
export type { KubeletOptions } from './kubelet.js';
export type { ConnectionSource } from './pod-sandbox.js';

/** The PodRuntime plus what the composition root and the mesh need from running pods. */
export interface SandboxPodRuntime extends PodRuntime {
  /** The kubelet; started and stopped with the other controllers. */
  readonly controller: Controller;
  /** The handler listening on `port` of a running pod, or undefined when nothing listens (the mesh's inbound hop). */
  podHttpHandler(namespace: string, name: string, port: number): RequestListener | undefined;
  /** Opens an in-memory connection to `port` of a running pod, from `source` (defaults to the pod's loopback). */
  connectPod(namespace: string, name: string, port: number, source?: ConnectionSource): Promise<Duplex>;
  /** One HTTP exchange with `port` of a running pod (see direct-exchange.ts), from the pod's loopback; a refused connection when the pod or its listener is gone. */
  exchangePod(namespace: string, name: string, port: number, request: MeshRequest, signal?: AbortSignal): Promise<MeshResult>;
  /** Appends a line to a running container's log (the mesh writes istio-proxy access logs here). */
  appendLog(namespace: string, name: string, container: string, line: string): void;
}

/** Builds the kubelet and the PodRuntime over it; `ctx` is the context the kubelet will be started with. */
export function createPodRuntime(ctx: ControllerContext, options: KubeletOptions = {}): SandboxPodRuntime {
  const kubelet = new KubeletController(options);
  let nextPort = 40000;
  const containerOf = (pod: KubeObject, name: string) => kubelet.sandboxOf(pod)?.containers.get(name);
  const nextSource = (): ConnectionSource => {
    nextPort = nextPort >= 60999 ? 40000 : nextPort + 1;
    return { address: '127.0.0.1', port: nextPort };
  };
  const connectPod = async (namespace: string, name: string, port: number, source?: ConnectionSource): Promise<Duplex> => {
    const sandbox = kubelet.sandboxes.get(`${namespace}/${name}`);
    if (!sandbox || sandbox.isStopped) throw new Error(`failed to find sandbox for pod "${namespace}/${name}": not found`);
    return sandbox.connect(port, source ?? nextSource());
  };
  return {
    controller: kubelet,
    async streamLogs(pod: KubeObject, container: string, options: LogOptions, out: Writable, signal: AbortSignal): Promise<void> {
      const c = containerOf(pod, container);
      // No previous instance exists: containers are never restarted by the sandbox.
      if (!c || options.previous) return;
      await writeContainerLog(c.log, options, ctx.clock.now(), out, signal);
    },
    execHandler(pod: KubeObject, container: string): ExecHandler {
      const c = containerOf(pod, container);
      if (!c) {
        return async () => {
          throw new Error(`failed to exec in container: container "${container}" of pod "${pod.metadata.name}" is not running`);
        };
      }
      return createExecHandler(c, ctx.random, options.network ?? unreachableNetwork);
    },
    appendLog(namespace: string, name: string, container: string, line: string): void {
      kubelet.sandboxes.get(`${namespace}/${name}`)?.containers.get(container)?.log.append(line);
    },
    connect(pod: KubeObject, port: number): Promise<Duplex> {
      if (!kubelet.sandboxOf(pod)) return Promise.reject(new Error(`failed to find sandbox for pod "${pod.metadata.namespace}/${pod.metadata.name}": not found`));
      return connectPod(pod.metadata.namespace!, pod.metadata.name!, port);
    },
    podHttpHandler(namespace: string, name: string, port: number): RequestListener | undefined {
      return kubelet.sandboxes.get(`${namespace}/${name}`)?.httpHandler(port);
    },
    connectPod,
    exchangePod(namespace: string, name: string, port: number, request: MeshRequest, signal?: AbortSignal): Promise<MeshResult> {
      const sandbox = kubelet.sandboxes.get(`${namespace}/${name}`);
      if (!sandbox || sandbox.isStopped) return Promise.resolve({ failure: 'connect-refused', message: `failed to find sandbox for pod "${namespace}/${name}": not found` });
      return sandbox.exchange(port, request, nextSource(), signal);
    },
  };
}
