// Composition root of the sandbox: store + registry + controllers + pod runtime + API server.
import type { ObjectStore } from './store/object-store.js';
import { Registry } from './api/registry.js';
import { startApiServer, type ApiServer } from './api/server.js';
import { createSeededRandom, systemClock, type Clock } from './runtime/determinism.js';
import { defaultSandboxConfig, type Controller, type ControllerContext, type SandboxConfig } from './controllers/controller.js';
import { createControllers, createEventRecorder } from './controllers/index.js';
import { createPodRuntime } from './runtime/index.js';
import { createMesh } from './mesh/index.js';
import type { FaultInjector } from './api/faults.js';

/** Options for {@link startCluster}. */
export interface ClusterOptions {
  store: ObjectStore;
  tls: { cert: string; key: string };
  token: string;
  port?: number;
  clock?: Clock;
  config?: Partial<SandboxConfig>;
  log?: (line: string) => void;
  /** Test-only API fault injection. */
  faults?: FaultInjector;
}

/** A running sandbox cluster. */
export interface RunningCluster {
  server: ApiServer;
  registry: Registry;
  stop(): Promise<void>;
}

/** Wire everything together and start serving. */
export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  const config = { ...defaultSandboxConfig, ...opts.config };
  const clock = opts.clock ?? systemClock;
  const random = createSeededRandom(config.seed);
  const registry = new Registry(opts.store, clock, random);
  const ctx: ControllerContext = { registry, clock, random, config, events: createEventRecorder(registry, clock) };
  // The runtime is created with the mesh's network, and the mesh reaches pods through the runtime.
  const late: { runtime?: ReturnType<typeof createPodRuntime> } = {};
  const mesh = createMesh(ctx, {
    exchange: (pod, port, request, signal) => late.runtime!.exchangePod(pod.metadata.namespace!, pod.metadata.name!, port, request, signal),
    appendLog: (ns, name, container, line) => late.runtime?.appendLog(ns, name, container, line),
  });
  const runtime = createPodRuntime(ctx, { schedulePods: false, network: mesh.network });
  late.runtime = runtime;
  const controllers: Controller[] = [...createControllers(), runtime.controller, mesh.controller];
  for (const c of controllers) c.start(ctx);
  const server = await startApiServer({ registry, runtime, tls: opts.tls, token: opts.token, port: opts.port, log: opts.log, faults: opts.faults, watchLimits: { total: config.maxWatches, perClient: config.maxWatchesPerClient } });
  return {
    server,
    registry,
    async stop() {
      await server.close();
      for (const c of controllers.reverse()) c.stop();
    },
  };
}
