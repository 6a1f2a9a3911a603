// Config propagation: proxies are programmed from a snapshot of Istio config, Services and Pods
// that is rebuilt a seeded, configurable delay after each change, so clients must wait for
// convergence as they do on a real mesh (istiod pushes xDS asynchronously).
import yaml from 'js-yaml';
import type { Registry } from '../api/registry.js';
import type { Random } from '../runtime/determinism.js';
import type { KubeObject } from '../types.js';
import type { MeshSnapshot } from './types.js';
import { isVersionAtMost } from './proxy/versions.js';

const istioKeys = {
  virtualServices: 'networking.istio.io/virtualservices',
  destinationRules: 'networking.istio.io/destinationrules',
  gateways: 'networking.istio.io/gateways',
  serviceEntries: 'networking.istio.io/serviceentries',
  peerAuthentications: 'security.istio.io/peerauthentications',
  envoyFilters: 'networking.istio.io/envoyfilters',
  sidecars: 'networking.istio.io/sidecars',
} as const;

const watchedKeys = new Set<string>([...Object.values(istioKeys), '/services', '/pods', '/configmaps']);

/** Options of config propagation. */
export interface PropagationOptions {
  /** Delay range (ms) between a change and proxies seeing it. */
  minDelayMs: number;
  maxDelayMs: number;
  istioVersion: string;
}

/** Keeps the snapshot proxies are programmed with, rebuilding it after each relevant change. */
export class MeshSnapshotter {
  private snapshot: MeshSnapshot;
  private readonly timers = new Set<NodeJS.Timeout>();
  private unsubscribe?: () => void;

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
    const mesh = list('/configmaps').find((c) => c.metadata.namespace === 'istio-system' && c.metadata.name === 'istio');
    return {
      istioVersion: this.options.istioVersion,
      outboundTrafficPolicy: readOutboundPolicy(mesh, this.options.istioVersion),
      virtualServices: list(istioKeys.virtualServices),
      destinationRules: list(istioKeys.destinationRules),
      gateways: list(istioKeys.gateways),
      serviceEntries: list(istioKeys.serviceEntries),
      peerAuthentications: list(istioKeys.peerAuthentications),
      envoyFilters: list(istioKeys.envoyFilters),
      sidecars: list(istioKeys.sidecars),
      services: list('/services'),
      pods: list('/pods').filter((p) => p.status?.phase === 'Running' && p.status?.podIP),
      domain: 'cluster.local',
    };
  }
}

/**
 * meshConfig.outboundTrafficPolicy.mode from the `istio` ConfigMap (as istioctl writes it). Unset, it
 * is ALLOW_ANY since Istio 1.1 and REGISTRY_ONLY before (§9, §14; Istio 1.1 upgrade notes).
 */
export function readOutboundPolicy(configMap: KubeObject | undefined, istioVersion = '1.30'): 'ALLOW_ANY' | 'REGISTRY_ONLY' {
  const fallback = isVersionAtMost(istioVersion, '1.0') ? 'REGISTRY_ONLY' : 'ALLOW_ANY';
  try {
    const mode = (yaml.load(configMap?.data?.mesh ?? '') as any)?.outboundTrafficPolicy?.mode;
    return mode === 'REGISTRY_ONLY' || mode === 'ALLOW_ANY' ? mode : fallback;
  } catch {
    return fallback;
  }
}
