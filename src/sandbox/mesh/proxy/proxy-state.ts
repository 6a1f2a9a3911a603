// Per-proxy runtime state: stats, per-cluster pools / load balancers / outlier detectors, rate-limit
// buckets, ephemeral ports and request ids. One Envoy per pod; state survives config changes, except
// that a cluster whose policy changed is rebuilt (as CDS does), keeping its stats.
import type { KubeObject } from '../../types.js';
import { createSeededRandom, type Random } from '../../runtime/determinism.js';
import type { Cluster } from '../routing/index.js';
import { ClusterConnectionPool, poolLimitsFrom } from './connection-pool.js';
import type { LbState } from './load-balancer.js';
import { OutlierDetector, outlierConfigFrom } from './outlier-detection.js';
import type { TokenBucket } from './rate-limit.js';
import { clusterStat, ProxyStats } from './stats.js';

const hexDigits = '0123456789abcdef';

/** Runtime state of one cluster on one proxy. */
export interface ClusterState {
  name: string;
  pool: ClusterConnectionPool;
  lb: LbState;
  outlier?: OutlierDetector;
  /** Active requests per host key (LEAST_REQUEST). */
  active: Map<string, number>;
  policyKey: string;
}

/** The Envoy of one pod. */
export class ProxyState {
  readonly stats = new ProxyStats();
  readonly clusters = new Map<string, ClusterState>();
  readonly buckets = new Map<string, TokenBucket>();
  private port = 0;
  private readonly ids: Random;

  constructor(readonly pod: KubeObject, seed: number) {
    this.ids = createSeededRandom(seed);
    this.port = 32768 + Math.floor(this.ids() * 20000);
  }

  /** Next ephemeral source port. */
  nextPort(): number {
    this.port = this.port >= 60999 ? 32768 : this.port + 1;
    return this.port;
  }

  /** An x-request-id (UUID v4 shape) from this proxy's id stream (seeded from the injected Random). */
  requestId(): string {
    // 32 draws from the id stream, as many as there are hex digits (digit 12 is the version, 16 the variant).
    let s = '';
    for (let i = 0; i < 32; i++) {
      const d = Math.floor(this.ids() * 16);
      if (i === 8 || i === 12 || i === 16 || i === 20) s += '-';
      s += hexDigits[i === 12 ? 4 : i === 16 ? (d & 0x3) | 0x8 : d];
    }
    return s;
  }

  /** The cluster's runtime state, (re)built when its policy changed. */
  cluster(c: Cluster, nowMs: number, atMost: (v: string) => boolean): ClusterState {
    const policyKey = JSON.stringify(c.policy);
    let s = this.clusters.get(c.name);
    if (!s || s.policyKey !== policyKey) {
      const od = outlierConfigFrom(c.policy.outlierDetection, atMost);
      s = { name: c.name, pool: new ClusterConnectionPool(this.stats, c.name), lb: {}, active: new Map(), policyKey, ...(od ? { outlier: new OutlierDetector(od, nowMs, this.stats, c.name) } : {}) };
      this.clusters.set(c.name, s);
      this.registerGauges(s, atMost);
    }
    s.pool.limits = poolLimitsFrom(c.policy.connectionPool);
    return s;
  }

  private registerGauges(s: ClusterState, atMost: (v: string) => boolean): void {
    const g = (stat: string, read: () => number) => this.stats.gauge(clusterStat(s.name, stat), read);
    const p = s.pool;
    if (!s.outlier) g('outlier_detection.ejections_active', () => 0);
    g('upstream_cx_active', () => p.connections);
    g('upstream_rq_active', () => p.activeRequests);
    g('upstream_rq_pending_active', () => p.pendingRequests);
    for (const prio of ['default', 'high']) {
      const isDefault = prio === 'default';
      g(`circuit_breakers.${prio}.cx_open`, () => Number(isDefault && p.connections >= p.limits.maxConnections));
      g(`circuit_breakers.${prio}.cx_pool_open`, () => 0);
      g(`circuit_breakers.${prio}.rq_open`, () => Number(isDefault && p.activeRequests >= p.limits.maxRequests));
      g(`circuit_breakers.${prio}.rq_pending_open`, () => Number(isDefault && p.pendingRequests >= p.limits.maxPendingRequests));
      g(`circuit_breakers.${prio}.rq_retry_open`, () => Number(isDefault && p.activeRetries >= p.limits.maxRetries));
    }
    // §14: `remaining_*` gauges are no longer tracked from 1.29.
    if (atMost('1.28')) {
      g('circuit_breakers.default.remaining_cx', () => Math.max(0, p.limits.maxConnections - p.connections));
      g('circuit_breakers.default.remaining_pending', () => Math.max(0, p.limits.maxPendingRequests - p.pendingRequests));
      g('circuit_breakers.default.remaining_rq', () => Math.max(0, p.limits.maxRequests - p.activeRequests));
      g('circuit_breakers.default.remaining_retries', () => Math.max(0, p.limits.maxRetries - p.activeRetries));
    }
  }
}
