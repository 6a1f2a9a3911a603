// One pod as the runtime runs it (the CRI's "pod sandbox"): its address, its containers' logs, states and
// workloads, and the network namespace in which container ports are reached over in-memory connections.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../types.js';
import type { ContainerSpec, ContainerWorkload } from '../workloads/model.js';
import type { Clock } from './determinism.js';
import { ContainerLog } from './container-log.js';
import { createSocketPair, type MemorySocket } from './socket-pair.js';
import { exchange, type Exchange } from './direct-exchange.js';
import type { MeshRequest, MeshResult } from '../mesh/types.js';

/** One container of a pod sandbox and its lifecycle. */
export interface RuntimeContainer {
  spec: ContainerSpec;
  init: boolean;
  log: ContainerLog;
  /** `containerd://<64 hex>`, fixed when the sandbox is created. */
  containerID: string;
  state: 'waiting' | 'running' | 'exited';
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** Present once started. */
  workload?: ContainerWorkload;
  /** The pod as it stood when the container started (status.podIP set). */
  pod?: KubeObject;
  env: Record<string, string>;
  files: Record<string, string>;
  /** Aborted when the container stops. */
  abort: AbortController;
}

/** Transition times the pod's conditions report (RFC 3339). */
export interface SandboxTimes {
  admitted: string;
  /** Sandbox created and containers starting (PodReadyToStartContainers). */
  started?: string;
  initialized?: string;
  ready?: string;
  /** Every app container has exited. */
  completed?: string;
}

/** Where a connection into the pod comes from (port-forward: the pod's own loopback). */
export interface ConnectionSource {
  address: string;
  port: number;
}

/** A pod's runtime state; created when the kubelet admits the pod, stopped when it is removed. */
export class PodSandbox {
  readonly containers = new Map<string, RuntimeContainer>();
  private readonly servers = new Map<RequestListener, Server>();
  private readonly sockets = new Set<MemorySocket>();
  private readonly exchanges = new Set<Exchange>();
  private stopped = false;

  constructor(
    readonly pod: { uid: string; namespace: string; name: string },
    readonly ip: string,
    /** 64-hex sandbox id (names the network namespace in connection errors). */
    readonly id: string,
    readonly times: SandboxTimes,
  ) {}

  /** Adds a not-yet-started container with an empty log. */
  addContainer(spec: ContainerSpec, init: boolean, containerID: string, clock: Clock, logCapacity?: number): RuntimeContainer {
    const container: RuntimeContainer = { spec, init, log: new ContainerLog(clock, logCapacity), containerID, state: 'waiting', env: {}, files: {}, abort: new AbortController() };
    this.containers.set(spec.name, container);
    return container;
  }

  /** True once stopped: nothing runs and ports refuse connections. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether `pod` is the object this sandbox runs (same uid). */
  runs(pod: KubeObject): boolean {
    return pod.metadata.uid === this.pod.uid;
  }

  /** The handler listening on `port`: a running container declaring the port first, then any that answers. */
  httpHandler(port: number): RequestListener | undefined {
    if (this.stopped) return undefined;
    const running = [...this.containers.values()].filter((c) => c.state === 'running' && c.workload?.httpHandler);
    const declares = (c: RuntimeContainer) => (c.spec.ports ?? []).some((p) => p.containerPort === port);
    for (const c of [...running.filter(declares), ...running.filter((c) => !declares(c))]) {
      const handler = c.workload!.httpHandler!(port);
      if (handler) return handler;
    }
    return undefined;
  }

  /** Opens an in-memory connection to `port`; throws containerd's "connection refused" error when nothing listens. */
  connect(port: number, from: ConnectionSource): Duplex {
    const handler = this.httpHandler(port);
    if (!handler) throw new Error(this.refusal(port));
    const [client, server] = createSocketPair({ clientAddress: from.address, clientPort: from.port, serverAddress: from.address === '127.0.0.1' ? '127.0.0.1' : this.ip, serverPort: port });
    for (const end of [client, server]) {
      this.sockets.add(end);
      end.once('close', () => this.sockets.delete(end));
    }
    this.serverFor(handler).emit('connection', server);
    return client;
  }

  /** One HTTP exchange with whatever listens on `port` (see direct-exchange.ts); a refused connection when nothing does. */
  exchange(port: number, request: MeshRequest, from: ConnectionSource, signal?: AbortSignal): Promise<MeshResult> {
    const handler = this.httpHandler(port);
    if (!handler) return Promise.resolve({ failure: 'connect-refused', message: `connect ${this.ip}:${port}: ${this.refusal(port)}` });
    const running = exchange(handler, request, { clientAddress: from.address, clientPort: from.port, serverAddress: from.address === '127.0.0.1' ? '127.0.0.1' : this.ip, serverPort: port }, signal);
    this.exchanges.add(running);
    return running.result.finally(() => this.exchanges.delete(running));
  }

  /** Stops every container (workload stop, log end) and drops open connections. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const c of this.containers.values()) {
      c.abort.abort();
      if (c.state === 'running') c.workload?.stop?.();
      c.log.end();
    }
    for (const s of this.sockets) s.destroy();
    for (const e of this.exchanges) e.abort();
    this.servers.clear();
  }

  /** containerd's error for a port nothing listens on. */
  private refusal(port: number): string {
    return (
      `failed to execute portforward in network namespace "/var/run/netns/cni-${this.id.slice(0, 8)}": failed to connect to localhost:${port} inside namespace "${this.id}", ` +
      `IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `
    );
  }

  private serverFor(handler: RequestListener): Server {
    let server = this.servers.get(handler);
    if (!server) {
      // Never listens: connections are handed over with emit('connection').
      server = createServer(handler);
      this.servers.set(handler, server);
    }
    return server;
  }
}
