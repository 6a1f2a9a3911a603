// Envoy admin `stats` for one proxy (§5 circuit-breaker / outlier stats, §10 rate-limit stats): counters and gauges in Envoy's `name: value` text, sorted by name.

/** A live gauge read at render time. */
export type Gauge = () => number;

/** Counters and gauges of one proxy. */
export class ProxyStats {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, Gauge>();

  /** Add to a counter (created at 0 if new). */
  inc(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  /** Make sure a counter exists so it prints as 0. */
  touch(name: string): void {
    if (!this.counters.has(name)) this.counters.set(name, 0);
  }

  /** Register (or replace) a gauge. */
  gauge(name: string, read: Gauge): void {
    this.gauges.set(name, read);
  }

  /** Current value of a counter (0 when never incremented). */
  get(name: string): number {
    return this.counters.get(name) ?? this.gauges.get(name)?.() ?? 0;
  }

  /** Render every stat, plus zero-valued `defaults`, as `pilot-agent request GET stats` prints them. */
  render(defaults: string[] = []): string {
    const all = new Map<string, number>();
    for (const name of defaults) all.set(name, 0);
    for (const [name, v] of this.counters) all.set(name, v);
    for (const [name, read] of this.gauges) all.set(name, read());
    return [...all.keys()].sort().map((k) => `${k}: ${all.get(k)}`).join('\n') + (all.size ? '\n' : '');
  }
}

/** Counters every outbound cluster prints even before traffic (a subset of Envoy's cluster stats). */
export const clusterCounterNames = [
  'upstream_cx_overflow',
  'upstream_cx_total',
  'upstream_cx_connect_fail',
  'upstream_rq_pending_overflow',
  'upstream_rq_pending_total',
  'upstream_rq_pending_failure_eject',
  'upstream_rq_retry',
  'upstream_rq_retry_overflow',
  'upstream_rq_retry_success',
  'upstream_rq_retry_limit_exceeded',
  'upstream_rq_retry_backoff_exponential',
  'upstream_rq_timeout',
  'upstream_rq_per_try_timeout',
  'upstream_rq_total',
  'upstream_rq_completed',
  'outlier_detection.ejections_active',
  'outlier_detection.ejections_enforced_total',
  'outlier_detection.ejections_enforced_consecutive_5xx',
  'outlier_detection.ejections_detected_consecutive_5xx',
  'outlier_detection.ejections_enforced_consecutive_gateway_failure',
  'outlier_detection.ejections_detected_consecutive_gateway_failure',
  'outlier_detection.ejections_overflow',
  'outlier_detection.ejections_total',
  'outlier_detection.ejections_consecutive_5xx',
];

/** `cluster.<name>.<stat>`. */
export function clusterStat(cluster: string, stat: string): string {
  return `cluster.${cluster}.${stat}`;
}

/** Count an upstream response code the way Envoy does: `upstream_rq_<code>` and `upstream_rq_<N>xx`. */
export function countResponseCode(stats: ProxyStats, cluster: string, status: number): void {
  stats.inc(clusterStat(cluster, `upstream_rq_${status}`));
  stats.inc(clusterStat(cluster, `upstream_rq_${Math.floor(status / 100)}xx`));
  stats.inc(clusterStat(cluster, 'upstream_rq_completed'));
}
