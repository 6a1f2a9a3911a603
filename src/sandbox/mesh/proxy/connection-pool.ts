// DestinationRule connectionPool as Envoy circuit breakers and HTTP/1.1 connection pools (§5), with
// real concurrency: per client proxy and cluster, one pool per upstream host, cluster-wide limits.
// Modelled on Envoy's ConnPoolImplBase: a ready connection is reused; otherwise the request waits in
// the pending queue (`max_pending_requests`) while a connection is created if `max_connections`
// allows (a pool with no connection at all may always open one); HTTP/1.1 carries one request per
// connection at a time. Not modelled: Envoy's several worker threads (each with its own pools, the
// "leeway" the §5 task mentions), connect timeouts, idle timeouts.
import { clusterStat, type ProxyStats } from './stats.js';

/** Envoy circuit-breaker thresholds of a cluster. */
export interface PoolLimits {
  maxConnections: number;
  maxPendingRequests: number;
  maxRequests: number;
  /** 0 = unlimited. */
  maxRequestsPerConnection: number;
  maxRetries: number;
}

/** Istio's default threshold for every limit it leaves unset: 2³²−1 (§5). */
export const unlimited = 4294967295;

/** §5 DR connectionPool → Envoy thresholds. */
export function poolLimitsFrom(cp: any): PoolLimits {
  const n = (v: unknown) => (Number(v) > 0 ? Number(v) : unlimited);
  return {
    maxConnections: n(cp?.tcp?.maxConnections),
    maxPendingRequests: n(cp?.http?.http1MaxPendingRequests),
    maxRequests: n(cp?.http?.http2MaxRequests),
    maxRequestsPerConnection: Number(cp?.http?.maxRequestsPerConnection) > 0 ? Number(cp.http.maxRequestsPerConnection) : 0,
    maxRetries: n(cp?.http?.maxRetries),
  };
}

/** A request's hold on a connection; release it when the stream ends (`reuse` false closes the connection). */
export interface Lease {
  release(reuse: boolean): void;
}

/** Result of asking for a connection. */
export type Acquired = { lease: Lease } | { overflow: true } | { aborted: true };

interface Connection {
  requests: number;
}

interface HostPool {
  ready: Connection[];
  busy: Set<Connection>;
  connecting: number;
  pending: ((a: Acquired) => void)[];
}

/** Connection pools and circuit breakers of one cluster on one client proxy. */
export class ClusterConnectionPool {
  limits: PoolLimits = poolLimitsFrom(undefined);
  connections = 0;
  pendingRequests = 0;
  activeRequests = 0;
  activeRetries = 0;
  private readonly hosts = new Map<string, HostPool>();

  constructor(private readonly stats: ProxyStats, private readonly cluster: string) {}

  private stat(name: string): void {
    this.stats.inc(clusterStat(this.cluster, name));
  }

  private pool(host: string): HostPool {
    let hp = this.hosts.get(host);
    if (!hp) this.hosts.set(host, (hp = { ready: [], busy: new Set(), connecting: 0, pending: [] }));
    return hp;
  }

  /** Get a connection to `host`: at once, after waiting in the pending queue, or overflow (§5 UO). */
  acquire(host: string, signal?: AbortSignal): Promise<Acquired> {
    const hp = this.pool(host);
    const conn = hp.ready.shift();
    if (conn) return Promise.resolve(this.attach(hp, conn));
    if (this.pendingRequests >= this.limits.maxPendingRequests) {
      this.stat('upstream_rq_pending_overflow');
      return Promise.resolve({ overflow: true });
    }
    return new Promise((resolve) => {
      const onAbort = () => {
        const i = hp.pending.indexOf(waiter);
        if (i >= 0) {
          hp.pending.splice(i, 1);
          this.pendingRequests--;
        }
        resolve({ aborted: true });
      };
      const waiter = (a: Acquired) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(a);
      };
      hp.pending.push(waiter);
      this.pendingRequests++;
      this.stat('upstream_rq_pending_total');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.connectForPending(hp);
    });
  }

  /** Create connections for waiting requests while `max_connections` allows (or the host pool has none at all). */
  private connectForPending(hp: HostPool): void {
    while (hp.pending.length > hp.connecting) {
      const empty = hp.ready.length + hp.busy.size + hp.connecting === 0;
      if (this.connections >= this.limits.maxConnections && !empty) {
        this.stat('upstream_cx_overflow');
        return;
      }
      this.connections++;
      hp.connecting++;
      this.stat('upstream_cx_total');
      queueMicrotask(() => {
        hp.connecting--;
        this.onReady(hp, { requests: 0 });
      });
    }
  }

  private onReady(hp: HostPool, conn: Connection): void {
    const waiter = hp.pending.shift();
    if (!waiter) {
      hp.ready.push(conn);
      return;
    }
    this.pendingRequests--;
    waiter(this.attach(hp, conn));
  }

  private attach(hp: HostPool, conn: Connection): Acquired {
    if (this.activeRequests >= this.limits.maxRequests) {
      this.stat('upstream_rq_pending_overflow');
      hp.ready.push(conn);
      return { overflow: true };
    }
    this.activeRequests++;
    conn.requests++;
    hp.busy.add(conn);
    let released = false;
    return {
      lease: {
        release: (reuse) => {
          if (released) return;
          released = true;
          this.activeRequests--;
          hp.busy.delete(conn);
          const spent = this.limits.maxRequestsPerConnection > 0 && conn.requests >= this.limits.maxRequestsPerConnection;
          if (!reuse || spent) {
            this.connections--;
            this.connectForPending(hp);
          } else this.onReady(hp, conn);
        },
      },
    };
  }

  /** Whether a retry may start (`max_retries`, §5); counts it as active when it may. */
  tryStartRetry(): boolean {
    if (this.activeRetries >= this.limits.maxRetries) {
      this.stat('upstream_rq_retry_overflow');
      return false;
    }
    this.activeRetries++;
    return true;
  }

  /** A retry started by tryStartRetry finished. */
  endRetry(): void {
    this.activeRetries = Math.max(0, this.activeRetries - 1);
  }
}
