// Config propagation: proxies are programmed from a snapshot of Istio config, Services and Pods
// that is rebuilt a seeded, configurable delay after each change, so clients must wait for
// convergence as they do on a real mesh (istiod pushes xDS asynchronously).
import type { Registry } from '../api/registry.js';
import type { EventRecorder } from '../controllers/controller.js';
import type { Random } from '../runtime/determinism.js';
import type { KubeObject } from '../types.js';
import type { MeshSnapshot } from './types.js';
import { parseMeshConfig, type MeshConfig } from './mesh-config.js';
import { warnUnmodelledTelemetry } from './telemetry-warnings.js';

const istioKeys = {
  virtualServices: 'networking.istio.io/virtualservices',
  destinationRules: 'networking.istio.io/destinationrules',
  gateways: 'networking.istio.io/gateways',
  serviceEntries: 'networking.istio.io/serviceentries',
  peerAuthentications: 'security.istio.io/peerauthentications',
  envoyFilters: 'networking.istio.io/envoyfilters',
  sidecars: 'networking.istio.io/sidecars',
  telemetries: 'telemetry.istio.io/telemetries',
} as const;

const watchedKeys = new Set<string>([...Object.values(istioKeys), '/services', '/pods', '/configmaps']);

/** Options of config propagation. */
export interface PropagationOptions {
  /** Delay range (ms) between a change and proxies seeing it. */
  minDelayMs: number;
  maxDelayMs: number;
  istioVersion: string;
  /** Where istiod-side Warning events go (rejected mesh config, unmodelled Telemetry fields); none in unit tests. */
  events?: EventRecorder;
}

/** Keeps the snapshot proxies are programmed with, rebuilding it after each relevant change. */
export class MeshSnapshotter {
  private snapshot: MeshSnapshot;
  private readonly timers = new Set<NodeJS.Timeout>();
  private unsubscribe?: () => void;
  /** The last mesh config istiod accepted (istio/istio kubemesh watcher: "Keep the last known config"). */
  private lastValidMesh?: MeshConfig;
  /** Rejected mesh texts already reported, and Telemetry versions already checked (one event each). */
  private readonly warned = new Set<string>();

  constructor(
    private readonly registry: Registry,
    private readonly random: Random,
    private readonly options: PropagationOptions,
  ) {
    this.snapshot = this.build();
  }

  /** Start watching the store. */
  start(): void {
    this.unsubscribe = this.registry.store.subscribe((e) => {
      if (!watchedKeys.has(e.key)) return;
      if (e.key === '/configmaps' && !(e.object.metadata.namespace === 'istio-system' && e.object.metadata.name === 'istio')) return;
      const { minDelayMs, maxDelayMs } = this.options;
      const delay = minDelayMs + Math.floor(this.random() * Math.max(0, maxDelayMs - minDelayMs));
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.snapshot = this.build();
      }, delay);
      t.unref?.();
      this.timers.add(t);
    });
  }

  /** Stop watching and cancel pending propagations. */
  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** The config proxies currently run with. */
  current(): MeshSnapshot {
    return this.snapshot;
  }

  private build(): MeshSnapshot {
    const list = (key: string) => this.registry.store.list(key);
    const mesh = this.readMesh(this.registry.store.get('/configmaps', 'istio-system', 'istio'));
    const telemetries = list(istioKeys.telemetries);
    if (this.options.events) for (const t of telemetries) this.once(`telemetry:${t.metadata.uid}:${t.metadata.resourceVersion}`, () => warnUnmodelledTelemetry(this.options.events!, t, mesh));
    return {
      istioVersion: this.options.istioVersion,
      outboundTrafficPolicy: mesh.outboundTrafficPolicy,
      mesh,
      virtualServices: list(istioKeys.virtualServices),
      destinationRules: list(istioKeys.destinationRules),
      gateways: list(istioKeys.gateways),
      serviceEntries: list(istioKeys.serviceEntries),
      peerAuthentications: list(istioKeys.peerAuthentications),
      envoyFilters: list(istioKeys.envoyFilters),
      sidecars: list(istioKeys.sidecars),
      telemetries,
      services: list('/services'),
      pods: list('/pods').filter((p) => p.status?.phase === 'Running' && p.status?.podIP),
      domain: 'cluster.local',
    };
  }

  /**
   * The mesh config proxies run with. istiod rejects a mesh config it cannot read and keeps the last
   * known one (defaults before any), logging a warning (istio/istio `pkg/config/mesh/kubemesh/watcher.go`);
   * the sandbox says so with one Warning event on the ConfigMap per rejected text.
   */
  private readMesh(configMap: KubeObject | undefined): MeshConfig {
    const read = parseMeshConfig(configMap?.data?.mesh, this.options.istioVersion);
    if (!read.error) return (this.lastValidMesh = read.config);
    const kept = this.lastValidMesh ? 'the last valid mesh config' : "istiod's defaults";
    this.once(`mesh:${configMap?.data?.mesh}`, () =>
      this.options.events?.record(configMap!, 'Warning', 'InvalidMeshConfig', `istiod: failed to read mesh config from ConfigMap istio-system/istio (data.mesh): ${read.error}. Proxies keep ${kept} until data.mesh is valid YAML with the meshConfig field types (see istio.io MeshConfig reference).`, 'istiod'),
    );
    return this.lastValidMesh ?? read.config;
  }

  /** Run `fn` the first time `key` is seen. */
  private once(key: string, fn: () => void): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    fn();
  }
}
