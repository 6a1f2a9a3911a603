// The emulated Istio data plane: config propagation, the proxy engine (routing and Envoy
// behaviours), the pod network and NodePort listeners, wired together as one controller.
import type { Controller, ControllerContext } from '../controllers/controller.js';
import { MeshSnapshotter } from './snapshot.js';
import { MeshNetwork } from './network.js';
import { NodePortProxy } from './node-ports.js';
import { createProxyEngine } from './proxy/index.js';
import { ExternalHosts } from './external-hosts.js';
import { warnUnmodelledSidecarFields } from './sidecar-warnings.js';
import { createAccessLogSink } from './access-log-sink.js';
import { createSeededRandom } from '../runtime/determinism.js';
import type { PodExchange, PodNetwork } from './types.js';

/** What the mesh needs from the pod runtime (bound late: the runtime is created with the mesh's network). */
export interface MeshRuntimeHooks {
  exchange: PodExchange;
  appendLog(namespace: string, name: string, container: string, line: string): void;
}

/** The mesh as the sandbox wires it. */
export interface SandboxMesh {
  network: PodNetwork;
  controller: Controller;
}

/** Create the mesh; start it through `controller` with the sandbox's context. */
export function createMesh(ctx: ControllerContext, hooks: MeshRuntimeHooks): SandboxMesh {
  const { config } = ctx;
  const snapshotter = new MeshSnapshotter(ctx.registry, ctx.random, { minDelayMs: config.meshPropagationMinMs, maxDelayMs: config.meshPropagationMaxMs, istioVersion: config.istioVersion, events: ctx.events });
  const snapshot = () => snapshotter.current();
  // §9: the public hosts the sandbox emulates, with a random stream of their own (egress never shifts routing draws).
  const externals = new ExternalHosts({ clock: ctx.clock, random: createSeededRandom((config.seed ^ 0x5e9e55) >>> 0), events: ctx.events });
  const network = new MeshNetwork({ snapshot, exchange: hooks.exchange, random: ctx.random, externals });
  network.engine = createProxyEngine({
    snapshot,
    deliver: network.deliver,
    clock: ctx.clock,
    random: ctx.random,
    accessLog: createAccessLogSink({ snapshot, events: ctx.events, append: (pod, line) => hooks.appendLog(pod.metadata.namespace!, pod.metadata.name!, 'istio-proxy', line) }),
    external: (authority, request, signal, source) => externals.fetch(authority, request, { scheme: 'http', source, signal }),
  });
  const nodePorts = new NodePortProxy({
    snapshot,
    deliver: network.deliver,
    random: ctx.random,
    events: ctx.events,
    reassign: (svc, from, to) => {
      const rt = ctx.registry.types.byResource('', 'v1', 'services')!;
      const current = ctx.registry.find(rt, svc.metadata.namespace, svc.metadata.name!);
      if (!current) return;
      current.spec.ports = (current.spec.ports ?? []).map((p: any) => (p.nodePort === from ? { ...p, nodePort: to } : p));
      try {
        ctx.registry.update(rt, svc.metadata.namespace, svc.metadata.name!, current, { fieldManager: 'kube-proxy' });
      } catch {
        // taken by another Service of this sandbox: the next sync tries again
      }
    },
  });
  let unsubscribe: (() => void) | undefined;
  const controller: Controller = {
    name: 'mesh',
    start() {
      snapshotter.start();
      nodePorts.sync(ctx.registry.store.list('/services'));
      unsubscribe = ctx.registry.store.subscribe((e) => {
        if (e.key === '/services') nodePorts.sync(ctx.registry.store.list('/services'));
        if (e.key === 'networking.istio.io/sidecars' && e.type !== 'DELETED') queueMicrotask(() => warnUnmodelledSidecarFields(ctx.events, e.object));
      });
    },
    stop() {
      unsubscribe?.();
      snapshotter.stop();
      nodePorts.close();
      externals.close();
    },
  };
  return { network, controller };
}
