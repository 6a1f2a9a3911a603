// The controller seam: everything that reconciles sandbox state runs behind this interface.
import type { Registry } from '../api/registry.js';
import type { Clock, Random } from '../runtime/determinism.js';
import type { KubeObject } from '../types.js';

/** Tunables of the emulated cluster (all durations in ms). */
export interface SandboxConfig {
  /** Time from pod creation to containers running. */
  podStartDelayMs: number;
  /** Time from running to ready. */
  podReadyDelayMs: number;
  /** Upper bound on how long a terminating pod lingers (the grace period is honoured up to this). */
  maxGraceMs: number;
  /** Seed for every random choice the sandbox makes. */
  seed: number;
  /** Range of the delay between a config change and proxies seeing it (istiod push), ms. */
  meshPropagationMinMs: number;
  meshPropagationMaxMs: number;
  /** Istio version the mesh emulates (switches the behaviours of §14). */
  istioVersion: string;
  /** Most watches open at once, in total and per client (User-Agent); past them a watch gets 429 (api/watch-limits.ts). */
  maxWatches: number;
  maxWatchesPerClient: number;
}

/** Defaults: fast enough for tests, slow enough that clients must really wait. */
export const defaultSandboxConfig: SandboxConfig = { podStartDelayMs: 150, podReadyDelayMs: 100, maxGraceMs: 300, seed: 1, meshPropagationMinMs: 100, meshPropagationMaxMs: 400, istioVersion: '1.30', maxWatches: 1000, maxWatchesPerClient: 250 };

/** Records Kubernetes Events (core/v1) about objects. */
export interface EventRecorder {
  /** Emit an Event for `obj` (type Normal or Warning). */
  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component?: string): void;
}

/** What every controller is given. */
export interface ControllerContext {
  registry: Registry;
  clock: Clock;
  random: Random;
  config: SandboxConfig;
  events: EventRecorder;
}

/** A reconciler driven by the store's watch. */
export interface Controller {
  readonly name: string;
  /** Called once at sandbox start, after persisted state is loaded; subscribe and reconcile existing objects. */
  start(ctx: ControllerContext): void;
  /** Called at shutdown; cancel timers and subscriptions. */
  stop(): void;
}
